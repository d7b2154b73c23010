using System.Numerics;

namespace TinyAutograd;

/// <summary>
/// A seeded, portable random generator (xoshiro256** seeded through SplitMix64): the same seed gives the same
/// values on every machine and .NET version.
/// </summary>
/// <remarks>
/// Draws made without an explicit seed (<c>Tensor.Normal&lt;double&gt;([3])</c>) come from one process-wide generator
/// that advances with every draw, so two such draws differ. It starts from seed <see cref="DefaultSeed"/> in every
/// process (PyTorch's default seed), and <see cref="SetDefaultSeed"/> (<c>torch.manual_seed</c>) restarts
/// it. Each draw takes one 64-bit value from it (under a lock, so any thread may draw) and seeds its own generator
/// with it: the same sequence of draws after the same seed gives the same values. Draws with an explicit seed
/// neither use nor advance it.
/// </remarks>
public sealed class RandomSource
{
    /// <summary>The seed the process-wide generator starts from.</summary>
    public const ulong DefaultSeed = 67_280_421_310_721;

    private static readonly Lock s_defaultLock = new();
    private static RandomSource s_default = new(DefaultSeed);

    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Creates a generator from a seed.</summary>
    public RandomSource(ulong seed)
    {
        _s0 = SplitMix(ref seed);
        _s1 = SplitMix(ref seed);
        _s2 = SplitMix(ref seed);
        _s3 = SplitMix(ref seed);
    }

    /// <summary>Restarts the process-wide generator behind draws without an explicit seed from <paramref name="seed"/>.</summary>
    public static void SetDefaultSeed(ulong seed)
    {
        lock (s_defaultLock)
        {
            s_default = new RandomSource(seed);
        }
    }

    /// <summary>A generator for one draw without an explicit seed: seeded from the next value of the process-wide one.</summary>
    internal static RandomSource NextFromDefault()
    {
        ulong seed;
        lock (s_defaultLock)
        {
            seed = s_default.NextBits();
        }
        return new RandomSource(seed);
    }

    /// <summary>The generator for <paramref name="seed"/>, or the next one from the process-wide generator when it is null.</summary>
    internal static RandomSource For(ulong? seed) => seed is { } value ? new RandomSource(value) : NextFromDefault();

    /// <summary>The next 64 random bits.</summary>
    public ulong NextBits()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A double uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextBits() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer uniform in [0, <paramref name="exclusiveMax"/>), without modulo bias.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="exclusiveMax"/> is not positive.</exception>
    public int NextInt(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exclusiveMax);
        ulong range = (ulong)exclusiveMax;
        ulong limit = ulong.MaxValue - (ulong.MaxValue % range);
        ulong bits;
        do
        {
            bits = NextBits();
        }
        while (bits >= limit);
        return (int)(bits % range);
    }

    /// <summary>A standard normal sample (Box–Muller).</summary>
    public double NextNormal()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates).</summary>
    public void Shuffle<TItem>(Span<TItem> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>A tensor of values uniform in [low, high).</summary>
    public Tensor<T> Uniform<T>(int[] shape, double low = 0, double high = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(shape);
        var result = Tensor<T>.Uninitialized(new Shape(shape));
        var data = result.Storage;
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = T.CreateTruncating(low + (high - low) * NextDouble());
        }
        return result;
    }

    /// <summary>A tensor of samples from N(mean, std²).</summary>
    public Tensor<T> Normal<T>(int[] shape, double mean = 0, double std = 1)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(shape);
        var result = Tensor<T>.Uninitialized(new Shape(shape));
        var data = result.Storage;
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = T.CreateTruncating(mean + std * NextNormal());
        }
        return result;
    }

    private static ulong SplitMix(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
