using System.CommandLine;
using System.Globalization;
using System.Numerics;

namespace TinyAutograd.Examples.Cli;

/// <summary>Shorthands for declaring a demonstration's own options.</summary>
internal static class CommandExtensions
{
    /// <summary>Adds an option with a default value; numbers below <paramref name="minimum"/> are refused.</summary>
    public static Option<TValue> AddOption<TValue>(this Command command, string name, string description, TValue defaultValue, TValue minimum)
        where TValue : INumber<TValue>
    {
        var option = new Option<TValue>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<TValue>();
            if (value < minimum)
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be at least {minimum}; got {value}."));
            }
        });
        command.Options.Add(option);
        return option;
    }

    /// <summary>Adds a flag (a boolean option that is off unless given).</summary>
    public static Option<bool> AddFlag(this Command command, string name, string description)
    {
        var option = new Option<bool>(name) { Description = description };
        command.Options.Add(option);
        return option;
    }
}
