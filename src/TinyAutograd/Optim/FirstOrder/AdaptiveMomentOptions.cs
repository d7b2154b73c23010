namespace TinyAutograd.Optim;

/// <summary>The hyper-parameters Adam and AdamW share (with the defaults of Kingma &amp; Ba 2015).</summary>
public abstract record AdaptiveMomentOptions : OptimizerOptions
{
    /// <summary>Sets ε (η) = 0.001.</summary>
    protected AdaptiveMomentOptions()
        : base(0.001)
    {
    }

    /// <summary>ρ₁, the decay rate of the first-moment estimate s (PyTorch's β₁); in [0, 1). Default 0.9.</summary>
    public double Beta1 { get; set; } = 0.9;

    /// <summary>ρ₂, the decay rate of the second-moment estimate r (PyTorch's β₂); in [0, 1). Default 0.999.</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>δ, added to √r̂ (PyTorch's <c>eps</c>, added at the same place). Default 1e−8.</summary>
    public double Delta { get; set; } = 1e-8;

    /// <summary>
    /// AMSGrad (Reddi et al. 2018): divide by the running maximum of r instead of r itself, so the effective step never
    /// grows. Default false.
    /// </summary>
    public bool AmsGrad { get; set; }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        RequireDecayRate(Beta1, nameof(Beta1));
        RequireDecayRate(Beta2, nameof(Beta2));
        RequirePositive(Delta, nameof(Delta));
    }
}
