namespace TinyAutograd.Examples.Cli;

/// <summary>What every demonstration returns: its figures (serialized as JSON) and the pictures it wrote.</summary>
internal interface IDemoResult
{
    /// <summary>The paths of the pictures written.</summary>
    IReadOnlyList<string> Pictures { get; }

    /// <summary>One line with the key figures, for the tour's closing table.</summary>
    string Headline();
}
