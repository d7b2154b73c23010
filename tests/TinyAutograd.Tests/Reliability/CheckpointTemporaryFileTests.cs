using System.Diagnostics;
using TinyAutograd.Persistence;

namespace TinyAutograd.Tests.Reliability;

/// <summary>
/// A save interrupted for good (the process killed) leaves its temporary file behind, as nothing can run at the moment
/// of a SIGKILL; the next save of the same checkpoint removes it, and the previous file still loads.
/// </summary>
public sealed class CheckpointTemporaryFileTests
{
    [Fact]
    public void TheNextSaveSweepsTheTemporaryOfAProcessKilledMidSave()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.ckpt");
        string[] leftovers = [];
        for (int attempt = 0; attempt < 10 && leftovers.Length == 0; attempt++)
        {
            KillInTheMiddleOfASave(path);
            leftovers = Temporaries(directory);
        }
        Assert.NotEmpty(leftovers);
        Assert.Equal(CrashingSaver.Epoch, Checkpoint.Load(path).GetInteger("epoch"));

        CheckpointWithEpoch(8).Save(path);

        Assert.Equal(["model.ckpt"], directory.FileNames());
        Assert.Equal(8, Checkpoint.Load(path).GetInteger("epoch"));
    }

    [Fact]
    public void TheNextSaveSweepsAStaleTemporaryOfItsOwnTargetOnly()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.ckpt");
        CheckpointWithEpoch(1).Save(path);
        string stale = directory.File($".model.ckpt.{Guid.NewGuid():N}.tmp");
        string otherTarget = directory.File($".other.ckpt.{Guid.NewGuid():N}.tmp");
        string unrelated = directory.File(".model.ckpt.notes.tmp");
        foreach (string file in new[] { stale, otherTarget, unrelated })
        {
            File.WriteAllBytes(file, new byte[1000]);
        }

        CheckpointWithEpoch(2).Save(path);

        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(otherTarget));
        Assert.True(File.Exists(unrelated));
        Assert.Equal(2, Checkpoint.Load(path).GetInteger("epoch"));
    }

    [Fact]
    public void ATemporaryThatAnotherWriterHoldsOpenIsLeftAlone()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.ckpt");
        string live = directory.File($".model.ckpt.{Guid.NewGuid():N}.tmp");
        using (var writer = new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            writer.WriteByte(1);

            CheckpointWithEpoch(1).Save(path);

            Assert.True(File.Exists(live));
        }
        Assert.Equal(1, Checkpoint.Load(path).GetInteger("epoch"));
    }

    private static string[] Temporaries(TemporaryDirectory directory) =>
        [.. directory.FileNames().Where(name => name.EndsWith(".tmp", StringComparison.Ordinal))];

    /// <summary>Runs <see cref="CrashingSaver"/> and kills it (SIGKILL on Unix) as soon as one of its temporary files exists.</summary>
    private static void KillInTheMiddleOfASave(string path)
    {
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string argument in new[] { typeof(CrashingSaver).Assembly.Location, "save-forever", path })
        {
            start.ArgumentList.Add(argument);
        }
        using var child = Process.Start(start)!;
        try
        {
            var ready = child.StandardOutput.ReadLineAsync();
            Assert.True(ready.Wait(TimeSpan.FromSeconds(60)), "the child process did not save within a minute");
            Assert.Equal("saved", ready.Result);
            string directory = Path.GetDirectoryName(path)!;
            var deadline = Stopwatch.StartNew();
            while (Directory.GetFiles(directory, "*.tmp").Length == 0)
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the child process never started another save");
            }
        }
        finally
        {
            child.Kill();
            child.WaitForExit();
        }
    }

    private static Checkpoint CheckpointWithEpoch(long epoch)
    {
        var checkpoint = new Checkpoint();
        checkpoint.AddInteger("epoch", epoch);
        return checkpoint;
    }
}
