using TinyAutograd.Persistence;

namespace TinyAutograd.Tests.Reliability;

/// <summary>
/// The test assembly's entry point. <c>dotnet TinyAutograd.Tests.dll save-forever PATH</c> saves a checkpoint of a few
/// megabytes to PATH over and over, printing <c>saved</c> after the first save, until it is killed; the crash tests run
/// it as a child process and kill it in the middle of a save. Without arguments it does nothing.
/// </summary>
internal static class CrashingSaver
{
    /// <summary>The value of the <c>epoch</c> entry of every checkpoint the child saves.</summary>
    public const long Epoch = 7;

    public static int Main(string[] args)
    {
        if (args is not ["save-forever", var path])
        {
            return 0;
        }
        var checkpoint = new Checkpoint();
        checkpoint.AddTensor("weights", new RandomSource(1).Uniform<float>([1 << 21]));
        checkpoint.AddInteger("epoch", Epoch);
        checkpoint.Save(path);
        Console.Out.WriteLine("saved");
        Console.Out.Flush();
        while (true)
        {
            checkpoint.Save(path);
        }
    }
}
