using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Vinfer.Tests.Cli;

/// <summary>
/// The install path a user takes: the packed CLI installs with <c>dotnet tool install</c> and runs, and the README's
/// quick-start C# program builds against the packed library package from a local folder and runs. Packs with
/// <c>--no-build</c>, so it uses the Release build the test suite runs from.
/// </summary>
public class PackageInstallTests : CliTestFolder
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Vinfer.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"Vinfer.slnx not found above {AppContext.BaseDirectory}");
    }

    private static (int Code, string Output) Exec(string file, string arguments, string workingDirectory, int timeoutSeconds = 600)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
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

    [Fact]
    public void TheToolInstallsAndTheQuickStartProgramBuildsAgainstTheLibraryPackage()
    {
        string root = RepositoryRoot();
        string packages = Path.Combine(Folder, "packages");
        foreach (var project in new[] { "src/Vinfer.Cli/Vinfer.Cli.csproj", "src/Vinfer/Vinfer.csproj" })
        {
            var pack = Exec("dotnet", $"pack {project} -c Release --no-build -o \"{packages}\"", root);
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
        using (var tool = System.IO.Compression.ZipFile.OpenRead(Path.Combine(packages, "Vinfer.Cli.0.1.0.nupkg")))
        {
            Assert.Contains(tool.Entries, e => e.FullName.EndsWith("data/posteriordb/diamonds-diamonds/data.json", StringComparison.Ordinal));
            Assert.Contains(tool.Entries, e => e.FullName.EndsWith("data/posteriordb/LICENSE-posteriordb.md", StringComparison.Ordinal));
        }

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
