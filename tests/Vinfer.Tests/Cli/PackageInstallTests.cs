using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Vinfer.Tests.Cli;

/// <summary>
/// The install path a user takes: the packed CLI installs with <c>dotnet tool install</c> and runs, and the README's
/// quick-start C# program builds against the packed library package from a local folder and runs. The library packs
/// with <c>--no-build</c>, from the Release build the test suite runs from; the tool's pack builds its RID-specific
/// packages and compiles the linux-x64 one ahead of time (ReadyToRun, several minutes on two cores), which the test checks.
/// </summary>
public class PackageInstallTests : CliTestFolder
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vinfer.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"Vinfer.slnx not found above {AppContext.BaseDirectory}");
    }

    private static (int Code, string Output) Exec(string file, string arguments, string workingDirectory, int timeoutSeconds = 600, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish in {timeoutSeconds} s");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The start-up assemblies src/Vinfer.Cli/ReadyToRunVersionBubble.targets compiles as one version bubble.</summary>
    private static readonly string[] VersionBubble = ["Vinfer", "Vinfer.Cli", "Vinfer.Experiments", "System.Numerics.Tensors", "System.CommandLine", "Parquet"];

    /// <summary>
    /// Every managed assembly of the linux-x64 tool package has ReadyToRun code (a non-empty ManagedNativeHeader), and
    /// the start-up assemblies hold code for other assemblies' generic methods (TensorPrimitives.Log&lt;double&gt; in
    /// Vinfer.dll), which only the version bubble produces: READYTORUN_FLAG_UNRELATED_R2R_CODE (0x80) in the ReadyToRun
    /// header. (The SDK's per-assembly images set MULTIMODULE_VERSION_BUBBLE too, so that flag tells nothing.)
    /// docs/stan-comparison.md, "What ships".
    /// </summary>
    private static void AssertShipsReadyToRun(string package)
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(package);
        var failures = new List<string>();
        int managed = 0;
        foreach (var entry in zip.Entries.Where(e => e.FullName.EndsWith(".dll", StringComparison.Ordinal) && !e.FullName.EndsWith(".resources.dll", StringComparison.Ordinal)))
        {
            using var buffer = new MemoryStream();
            using (var stream = entry.Open()) stream.CopyTo(buffer);
            buffer.Position = 0;
            using var pe = new System.Reflection.PortableExecutable.PEReader(buffer);
            if (pe.PEHeaders.CorHeader is not { } cor) continue;   // a native library
            managed++;
            var native = cor.ManagedNativeHeaderDirectory;
            string assembly = Path.GetFileNameWithoutExtension(entry.Name);
            if (native.Size == 0) { failures.Add($"{entry.FullName}: IL only, no ReadyToRun code"); continue; }
            var header = pe.GetSectionData(native.RelativeVirtualAddress).GetReader();
            uint signature = header.ReadUInt32();
            header.ReadUInt16(); header.ReadUInt16();   // major, minor version
            uint flags = header.ReadUInt32();
            if (signature != 0x00525452) failures.Add($"{entry.FullName}: ManagedNativeHeader is not a ReadyToRun header");
            else if (VersionBubble.Contains(assembly) && (flags & 0x80) == 0)
                failures.Add($"{entry.FullName}: ReadyToRun but not compiled in the start-up version bubble (flags 0x{flags:x})");
        }
        foreach (var a in VersionBubble.Where(a => !zip.Entries.Any(e => e.Name == a + ".dll"))) failures.Add($"no {a}.dll");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(managed >= VersionBubble.Length, $"{managed} managed assemblies in {package}");
    }

    /// <summary>
    /// The linux-x64 package's command is the native vinfer (src/Vinfer.Cli.Native, Native AOT, two builds: x86-64-v3
    /// and the AVX-512 one it switches to), with the ReadyToRun managed program beside it for what the native one hands
    /// over. A built-in fit must run natively, on either build: its summary.json records no JIT compile time at all
    /// (a managed run records some in every phase that compiles, ReadyToRun or not). A user's C# model, which only the
    /// managed program can compile, must still fit from the installed tool, and records JIT time.
    /// </summary>
    private void AssertRunsNatively(string root, string packages, string tools)
    {
        using (var zip = System.IO.Compression.ZipFile.OpenRead(Path.Combine(packages, "Vinfer.Cli.linux-x64.0.1.0.nupkg")))
        {
            foreach (var file in new[] { "vinfer", "vinfer-avx512", "Vinfer.Cli.dll", "Vinfer.Cli.runtimeconfig.json" })
                Assert.Contains(zip.Entries, e => e.FullName == $"tools/net10.0/linux-x64/{file}");
            using var settings = new StreamReader(zip.GetEntry("tools/net10.0/linux-x64/DotnetToolSettings.xml")!.Open());
            Assert.Contains("<Command Name=\"vinfer\" EntryPoint=\"vinfer\" Runner=\"executable\" />", settings.ReadToEnd());
        }
        static double JitSeconds(string summary) =>
            System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(summary))!["phases"]!.AsObject().Sum(p => (double)p.Value!["jit_seconds"]!);
        foreach (var (build, environment) in new[] { ("default", new Dictionary<string, string>()), ("x86-64-v3", new Dictionary<string, string> { ["VINFER_NO_AVX512"] = "1" }) })
        {
            string output = Path.Combine(Folder, $"native-{build}");
            var fit = Exec(Path.Combine(tools, "vinfer"), $"fit eight_schools --steps 200 --draws 50 --quiet --out \"{output}\"", Folder, environment: environment);
            Assert.True(fit.Code == 0, fit.Output);
            Assert.True(JitSeconds(Path.Combine(output, "summary.json")) == 0, $"{build}: the fit JIT-compiled: it did not run natively\n{fit.Output}");
        }
        string user = Path.Combine(Folder, "user-model");
        var userFit = Exec(Path.Combine(tools, "vinfer"), $"fit examples/normal_mean.cs --data examples/normal_mean.json --steps 200 --draws 50 --quiet --out \"{user}\"", root);
        Assert.True(userFit.Code == 0, userFit.Output);
        Assert.Contains("mu", userFit.Output);
        Assert.True(JitSeconds(Path.Combine(user, "summary.json")) > 0, "the user model's fit recorded no JIT time: it cannot have run in the managed program");
    }

    [Fact]
    public void TheToolInstallsAndTheQuickStartProgramBuildsAgainstTheLibraryPackage()
    {
        string root = RepositoryRoot();
        string packages = Path.Combine(Folder, "packages");
        // The library packs the suite's Release build (--no-build). The tool cannot: its linux-x64 and any packages
        // publish RID-specific builds, which `dotnet build` does not make; packing builds those (the RID-neutral
        // build it also runs is up to date, so the files other tests run are not rewritten).
        foreach (var (project, noBuild) in new[] { ("src/Vinfer.Cli/Vinfer.Cli.csproj", ""), ("src/Vinfer/Vinfer.csproj", " --no-build") })
        {
            var pack = Exec("dotnet", $"pack {project} -c Release{noBuild} -o \"{packages}\"", root, timeoutSeconds: 1200);
            Assert.True(pack.Code == 0, pack.Output);
        }
        Assert.True(File.Exists(Path.Combine(packages, "Vinfer.Cli.0.1.0.nupkg")));
        Assert.True(File.Exists(Path.Combine(packages, "Vinfer.0.1.0.nupkg")));

        string tools = Path.Combine(Folder, "tools");
        var install = Exec("dotnet", $"tool install --tool-path \"{tools}\" --add-source \"{packages}\" Vinfer.Cli --version 0.1.0", Folder);
        Assert.True(install.Code == 0, install.Output);
        var version = Exec(Path.Combine(tools, "vinfer"), "--version", Folder);
        Assert.Equal(0, version.Code);
        Assert.StartsWith("0.1.0", version.Output.Trim());
        var fit = Exec(Path.Combine(tools, "vinfer"), "fit eight_schools --steps 200 --draws 50 --quiet", Folder);
        Assert.True(fit.Code == 0, fit.Output);
        Assert.Contains("theta_trans[8]", fit.Output);
        // a posteriordb model's data travels inside the tool package: it fits from a folder with no repository above it
        string elsewhere = Path.Combine(Folder, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        var pdb = Exec(Path.Combine(tools, "vinfer"), "fit eight_schools-eight_schools_noncentered --init origin --steps 200 --draws 50 --quiet", elsewhere);
        Assert.True(pdb.Code == 0, pdb.Output);
        Assert.Contains("theta_trans[8]", pdb.Output);
        var models = Exec(Path.Combine(tools, "vinfer"), "models", elsewhere);
        Assert.True(models.Code == 0, models.Output);
        Assert.Contains("diamonds-diamonds", models.Output);
        // Vinfer.Cli.0.1.0 points at the RID-specific packages (linux-x64 ReadyToRun, any portable); both carry the data
        foreach (var rid in new[] { "linux-x64", "any" })
        {
            using var tool = System.IO.Compression.ZipFile.OpenRead(Path.Combine(packages, $"Vinfer.Cli.{rid}.0.1.0.nupkg"));
            Assert.Contains(tool.Entries, e => e.FullName.EndsWith("data/posteriordb/diamonds-diamonds/data.json", StringComparison.Ordinal));
            Assert.Contains(tool.Entries, e => e.FullName.EndsWith("data/posteriordb/LICENSE-posteriordb.md", StringComparison.Ordinal));
        }
        AssertShipsReadyToRun(Path.Combine(packages, "Vinfer.Cli.linux-x64.0.1.0.nupkg"));
        AssertRunsNatively(root, packages, tools);

        // the README's quick-start program, against the packed library only (a local folder source)
        string readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var program = Regex.Match(readme, @"## Quick start.*?```csharp\n(?<code>.*?)```", RegexOptions.Singleline);
        Assert.True(program.Success, "README.md has no csharp block under '## Quick start'");
        string app = Path.Combine(Folder, "app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "Program.cs"), program.Groups["code"].Value);
        File.WriteAllText(Path.Combine(app, "App.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Vinfer" Version="0.1.0" />
              </ItemGroup>
            </Project>
            """);
        // the library comes from the packed folder; its own dependencies from the machine's package cache
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        // outside the repository: no Directory.Build.props of ours applies
        var run = Exec("dotnet", "run -c Release", app);
        Assert.True(run.Code == 0, run.Output);
        Assert.Matches(@"mu\s+mean\s+-?\d+\.\d\d\s+sd\s+\d+\.\d\d", run.Output);
        Assert.Contains("tau", run.Output);
        Assert.Matches(@"k-hat -?\d+\.\d\d: ", run.Output);
        // the library package carries its README and licence
        using var zip = System.IO.Compression.ZipFile.OpenRead(Path.Combine(packages, "Vinfer.0.1.0.nupkg"));
        Assert.Contains(zip.Entries, e => e.FullName == "README.md");
        Assert.Contains(zip.Entries, e => e.FullName == "LICENSE");
        // both packages declare the MIT licence by its SPDX expression, as LICENSE and the README say
        foreach (var package in new[] { "Vinfer.0.1.0.nupkg", "Vinfer.Cli.0.1.0.nupkg" })
        {
            using var nupkg = System.IO.Compression.ZipFile.OpenRead(Path.Combine(packages, package));
            var nuspec = nupkg.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
            using var reader = new StreamReader(nuspec.Open());
            Assert.Contains("<license type=\"expression\">MIT</license>", reader.ReadToEnd());
        }
        Assert.StartsWith("MIT License", File.ReadAllText(Path.Combine(root, "LICENSE")));
        Assert.Matches(@"## Licence\s+MIT", readme);
    }
}
