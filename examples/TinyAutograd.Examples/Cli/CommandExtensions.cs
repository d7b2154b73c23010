using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace TinyAutograd.Examples.Cli;

/// <summary>Shorthands for declaring a demonstration's own options.</summary>
internal static class CommandExtensions
{
    /// <summary>Adds a number option with a default value, from <paramref name="minimum"/> up to the type's largest value; see <see cref="NumberOption"/>.</summary>
    public static Option<TValue> AddOption<TValue>(this Command command, string name, string description, TValue defaultValue, TValue minimum)
        where TValue : INumber<TValue>, IMinMaxValue<TValue> =>
        command.AddOption(name, description, defaultValue, minimum, TValue.MaxValue);

    /// <summary>Adds a number option with a default value, from <paramref name="minimum"/> to <paramref name="maximum"/>; see <see cref="NumberOption"/>.</summary>
    public static Option<TValue> AddOption<TValue>(this Command command, string name, string description, TValue defaultValue, TValue minimum, TValue maximum)
        where TValue : INumber<TValue>, IMinMaxValue<TValue>
    {
        var option = NumberOption(name, description, defaultValue, minimum, maximum);
        command.Options.Add(option);
        return option;
    }

    /// <summary>
    /// An option holding one finite number of type <typeparamref name="TValue"/> from <paramref name="minimum"/> to
    /// <paramref name="maximum"/>, written in the invariant culture. A value that does not parse, overflows the type,
    /// is not finite or lies outside the range is a parse error whose message names the option, what it expects and
    /// what it got.
    /// </summary>
    public static Option<TValue> NumberOption<TValue>(string name, string description, TValue defaultValue, TValue minimum, TValue maximum)
        where TValue : INumber<TValue>, IMinMaxValue<TValue> => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result => ParseNumber(result, name, defaultValue, minimum, maximum),
    };

    /// <summary>Adds a flag (a boolean option that is off unless given).</summary>
    public static Option<bool> AddFlag(this Command command, string name, string description)
    {
        var option = new Option<bool>(name) { Description = description };
        command.Options.Add(option);
        return option;
    }

    private static TValue ParseNumber<TValue>(ArgumentResult result, string name, TValue defaultValue, TValue minimum, TValue maximum)
        where TValue : INumber<TValue>, IMinMaxValue<TValue>
    {
        if (result.Tokens.Count == 0)
        {
            return defaultValue;
        }
        string text = result.Tokens[0].Value;
        // One half is a whole number only in an integer type, where 1 / 2 = 0.
        bool whole = TValue.IsInteger(TValue.One / (TValue.One + TValue.One));
        var style = whole ? NumberStyles.Integer : NumberStyles.Float;
        if (!TValue.TryParse(text, style, CultureInfo.InvariantCulture, out var value) || !TValue.IsFinite(value))
        {
            string expected = whole
                ? string.Create(CultureInfo.InvariantCulture, $"a whole number from {minimum} to {maximum}")
                : maximum == TValue.MaxValue
                    ? string.Create(CultureInfo.InvariantCulture, $"a finite number of at least {minimum}")
                    : string.Create(CultureInfo.InvariantCulture, $"a number from {minimum} to {maximum}");
            result.AddError($"{name} expects {expected}; got '{text}'.");
            return defaultValue;
        }
        if (value < minimum)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be at least {minimum}; got {value}."));
        }
        else if (value > maximum)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be at most {maximum}; got {value}."));
        }
        return value;
    }
}
