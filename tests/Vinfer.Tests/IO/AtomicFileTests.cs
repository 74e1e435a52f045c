using Vinfer.IO;

namespace Vinfer.Tests.IO;

public class AtomicFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"vinfer-atomic-{Guid.NewGuid():N}");

    public AtomicFileTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void AWriteRemovesTheTemporariesOfDeadWritersAndKeepsLiveOnes()
    {
        // 2^22 + 1 exceeds Linux's largest pid, so no process has it: a writer killed mid-write
        string dead = Path.Combine(_folder, $".summary.json.4194305.{Guid.NewGuid():N}.tmp");
        string live = Path.Combine(_folder, $".draws.csv.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        string unrelated = Path.Combine(_folder, ".notes.tmp");
        foreach (var f in new[] { dead, live, unrelated }) File.WriteAllText(f, "partial");

        AtomicFile.WriteAllText(Path.Combine(_folder, "summary.json"), "{}");

        Assert.False(File.Exists(dead));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(unrelated));
        Assert.Equal("{}", File.ReadAllText(Path.Combine(_folder, "summary.json")));
        Assert.Equal(new[] { ".draws.csv", ".notes.tmp", "summary.json" }.Order(), Directory.GetFiles(_folder).Select(Path.GetFileName).Select(n => n!.StartsWith(".draws.csv.", StringComparison.Ordinal) ? ".draws.csv" : n).Order());
    }

    [Theory]
    [InlineData(".summary.json.123.0123456789abcdef0123456789abcdef.tmp", 123)]
    [InlineData(".draws.csv.7.0123456789abcdef0123456789abcdef.tmp", 7)]
    [InlineData(".summary.json.0123456789abcdef0123456789abcdef.tmp", null)] // the old name, without a process id
    [InlineData(".x.12.nothex.tmp", null)]
    [InlineData("summary.json.12.0123456789abcdef0123456789abcdef.tmp", null)]
    public void TheProcessIdIsReadOnlyFromTemporaryNames(string name, int? pid) => Assert.Equal(pid, AtomicFile.ProcessIdOf(name));

    [Fact]
    public void TemporaryPathCarriesThisProcessId() =>
        Assert.Equal(Environment.ProcessId, AtomicFile.ProcessIdOf(Path.GetFileName(AtomicFile.TemporaryPath(Path.Combine(_folder, "a.json")))));
}
