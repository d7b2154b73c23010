using System.Diagnostics;

namespace TinyAutograd.Kernels;

/// <summary>
/// How a split product's tiles are shared between the calling thread's part 0 and the other parts (run by the workers of
/// <see cref="WorkerPool"/>), learned from the rates the parts were measured at: on cores of one speed each part gets
/// an equal share, as a fixed split gives; when a worker's core runs slower (a busy sibling, another guest on the host) or
/// a worker starts late, the caller takes more tiles, so that the parts end together instead of the caller waiting on
/// the slowest. The share changes which thread makes which tiles, never a result.
/// </summary>
/// <remarks>
/// After each split product the share moves a quarter of the way toward the one that would have ended both sides
/// together at the rates just measured (tiles per second of the caller's part, and of the other parts together, each
/// from the product's start to its last tile), within half and one and a half times the even share (a quarter and three
/// quarters of the tiles for two parts). Products are split one at a time (the workers serve one job), so the share is
/// plain static state. On the Zen 4 guest with two vCPUs, paired in one process against the even split: 1024³ products
/// 1.008–1.016× as fast, the MLP training step 1.011–1.059×, the CNN step 1.06× (the more so, the busier the host).
/// </remarks>
internal static class SplitBalance
{
    /// <summary>How far the share moves toward each product's measured balance.</summary>
    private const double Step = 0.25;

    private static int s_parts;
    private static double s_callerShare;

    /// <summary>How many of <paramref name="tiles"/> tiles part 0, the caller's, takes when they are split into <paramref name="parts"/> parts.</summary>
    public static int CallerTiles(int tiles, int parts)
    {
        if (s_parts != parts)
        {
            (s_parts, s_callerShare) = (parts, 1.0 / parts);
        }
        return TilesOf(s_callerShare, tiles, parts);
    }

    /// <summary>
    /// Learns from one split product of <paramref name="tiles"/> tiles, <paramref name="callerTiles"/> of them the caller's,
    /// started at <paramref name="start"/>, whose caller's part ended at <paramref name="callerEnd"/> and whose other parts
    /// had all ended by <paramref name="othersEnd"/> (<see cref="Stopwatch.GetTimestamp"/> ticks).
    /// </summary>
    public static void Learn(int tiles, int callerTiles, int parts, long start, long callerEnd, long othersEnd)
    {
        if (parts == s_parts)
        {
            s_callerShare = Moved(s_callerShare, parts, tiles, callerTiles, callerEnd - start, othersEnd - start);
        }
    }

    /// <summary>The caller's tiles at share <paramref name="share"/>: the nearest whole number, at least one, and one left for each other part.</summary>
    internal static int TilesOf(double share, int tiles, int parts) => Math.Clamp((int)Math.Round(share * tiles), 1, tiles - (parts - 1));

    /// <summary>
    /// <paramref name="share"/> moved a <see cref="Step"/> toward c/(c + o), c and o the tiles per tick of the caller's
    /// part and of the others together, and kept within half and one and a half times 1/<paramref name="parts"/>;
    /// unchanged when a time is not positive.
    /// </summary>
    internal static double Moved(double share, int parts, int tiles, int callerTiles, long callerTime, long othersTime)
    {
        if (callerTime <= 0 || othersTime <= 0)
        {
            return share;
        }
        double callerRate = (double)callerTiles / callerTime, othersRate = (double)(tiles - callerTiles) / othersTime;
        double even = 1.0 / parts;
        return Math.Clamp(share + (Step * ((callerRate / (callerRate + othersRate)) - share)), 0.5 * even, 1.5 * even);
    }
}
