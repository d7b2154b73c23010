namespace TinyAutograd.Differentiation;

/// <summary>What a backward walk hands back for each tensor the caller asked about.</summary>
internal enum RequestedForm : byte
{
    /// <summary>The gradients themselves.</summary>
    Gradients,

    /// <summary>
    /// Only the tangents the gradients carry (forward-over-reverse: ∇²f·v for tangents v); the rules that end at the
    /// requested leaves form only the tangent (<see cref="Node{T}.InputGradientTangent"/>).
    /// </summary>
    Tangents,

    /// <summary>
    /// The gradients recorded for their graph alone (the inner pass of reverse-over-reverse): the share that alone makes
    /// a requested leaf's gradient is recorded without its values where its rule can
    /// (<see cref="Node{T}.UnformedInputGradient"/>).
    /// </summary>
    Graphs,
}
