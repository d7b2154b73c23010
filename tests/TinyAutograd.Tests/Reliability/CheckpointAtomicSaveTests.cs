using TinyAutograd.Persistence;

namespace TinyAutograd.Tests.Reliability;

/// <summary>Saving is atomic: a failure at any point of the write leaves the previous checkpoint intact and no debris.</summary>
public sealed class CheckpointAtomicSaveTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(23)]
    [InlineData(100)]
    [InlineData(-1)]
    public void ACrashWhileWritingLeavesThePreviousCheckpointIntact(int failAfter)
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.ckpt");
        var previous = CheckpointWithEpoch(1);
        previous.Save(path);
        var previousBytes = File.ReadAllBytes(path);
        var next = CheckpointWithEpoch(2);
        long length = FileLength(next, directory);
        long limit = failAfter >= 0 ? failAfter : length - 1;

        var error = Assert.Throws<IOException>(() => next.Save(path, stream => new FailingStream(stream, limit)));

        Assert.Equal(FailingStream.Message, error.Message);
        Assert.Equal(previousBytes, File.ReadAllBytes(path));
        Assert.Equal(1, Checkpoint.Load(path).GetInteger("epoch"));
        Assert.Equal(["model.ckpt"], directory.FileNames());
    }

    [Fact]
    public void ACrashWhileWritingANewFileCreatesNothing()
    {
        using var directory = new TemporaryDirectory();

        Assert.Throws<IOException>(() => CheckpointWithEpoch(1).Save(directory.File("new.ckpt"), stream => new FailingStream(stream, 10)));

        Assert.Empty(directory.FileNames());
    }

    [Fact]
    public void ASuccessfulSaveReplacesTheFileAndLeavesNoTemporaryFile()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("model.ckpt");
        CheckpointWithEpoch(1).Save(path);

        CheckpointWithEpoch(2).Save(path);

        Assert.Equal(2, Checkpoint.Load(path).GetInteger("epoch"));
        Assert.Equal(["model.ckpt"], directory.FileNames());
    }

    [Fact]
    public void SavingIntoAMissingDirectoryFailsClearly()
    {
        using var directory = new TemporaryDirectory();

        Assert.Throws<DirectoryNotFoundException>(() => CheckpointWithEpoch(1).Save(directory.File(Path.Combine("missing", "model.ckpt"))));
    }

    private static Checkpoint CheckpointWithEpoch(long epoch)
    {
        var checkpoint = new Checkpoint();
        checkpoint.AddTensor("w", Tensor.Normal<double>([16, 16], seed: (ulong)epoch));
        checkpoint.AddInteger("epoch", epoch);
        return checkpoint;
    }

    private static long FileLength(Checkpoint checkpoint, TemporaryDirectory directory)
    {
        string probe = directory.File("probe.ckpt");
        checkpoint.Save(probe);
        long length = new FileInfo(probe).Length;
        File.Delete(probe);
        return length;
    }

    /// <summary>A write-only stream that passes <c>limit</c> bytes through, then fails like a full disk or a crash.</summary>
    private sealed class FailingStream(Stream inner, long limit) : Stream
    {
        public const string Message = "Simulated failure in the middle of writing.";
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            int allowed = (int)Math.Min(buffer.Length, limit - _written);
            inner.Write(buffer[..allowed]);
            _written += allowed;
            if (allowed < buffer.Length)
            {
                throw new IOException(Message);
            }
        }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
