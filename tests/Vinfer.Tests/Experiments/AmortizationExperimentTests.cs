using System.CommandLine;
using System.Text.Json.Nodes;
using Vinfer.Cli;
using Vinfer.Experiments.Amortization;
using Vinfer.Random;

namespace Vinfer.Tests.Experiments;

/// <summary><c>vinfer experiment amortization --model M --quick</c>: the files, and each model's qualitative finding at the quick budget.</summary>
public class AmortizationExperimentTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"vinfer-amortization-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private JsonNode RunQuick(string model)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = Program.BuildRootCommand().Parse(["experiment", "amortization", "--model", model, "--quick", "--out", _dir])
            .Invoke(new InvocationConfiguration { Output = output, Error = error });
        Assert.True(code == 0, error.ToString());
        foreach (var file in new[] { "results.json", $"amortization-{model}.md", "elbo.svg" })
            Assert.True(File.Exists(Path.Combine(_dir, file)), file);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(_dir, "results.json")))!;
    }

    private static double Elbo(JsonNode json, string method) =>
        (double)json["summary"]!.AsArray().First(r => (string?)r!["method"] == method)!["median_negative_elbo"]!;

    [Fact]
    public void LinearModelAmortizedFamiliesConvergeFasterThanFactorized()
    {
        var json = RunQuick("linear");
        // 300 iterations: A-VI (Adam 1e-2, 2 to 4 parameters) is already below F-VI (Adam 1e-3, 2n parameters).
        Assert.True(Elbo(json, "avi-d1") < Elbo(json, "fvi"), $"d = 1 {Elbo(json, "avi-d1")} vs F-VI {Elbo(json, "fvi")}");
        Assert.True(Elbo(json, "avi-d2") < Elbo(json, "fvi"), $"d = 2 {Elbo(json, "avi-d2")} vs F-VI {Elbo(json, "fvi")}");
        Assert.True(Elbo(json, "avi-d1") < Elbo(json, "const"), "d = 1 beats one shared Gaussian");
    }

    [Fact]
    public void NonlinearModelWideEncodersBeatNarrowOnes()
    {
        var json = RunQuick("nonlinear");
        Assert.True(Elbo(json, "avi-k16") < Elbo(json, "avi-k1") - 50, $"k = 16 {Elbo(json, "avi-k16")} vs k = 1 {Elbo(json, "avi-k1")}");
        Assert.True(Elbo(json, "avi-k16") < Elbo(json, "const") - 50, "k = 16 beats const");
    }

    [Fact]
    public void SawModelMarkovBlanketBeatsTheNextObservationAlone()
    {
        var json = RunQuick("saw");
        Assert.True(Elbo(json, "avi-blanket") < Elbo(json, "avi-next"), $"blanket {Elbo(json, "avi-blanket")} vs x_(n+1) {Elbo(json, "avi-next")}");
        Assert.True(Elbo(json, "avi-blanket") < Elbo(json, "fvi"), "the blanket encoder is ahead of F-VI at 300 iterations");
    }

    [Fact]
    public void HmmEncoderOfXnCannotSeparateEqualObservations()
    {
        var json = RunQuick("hmm");
        var twins = json["hmm_twins"]!;
        double exactFirst = (double)twins["exact_mean_first"]!, exactSecond = (double)twins["exact_mean_second"]!;
        Assert.True(Math.Abs(exactFirst - exactSecond) > 0.1, "the exact means at the twins differ");
        // Same input, same output: A-VI gives the twins one mean; F-VI separates them in the exact direction.
        Assert.Equal((double)twins["avi-x_mean_first"]!, (double)twins["avi-x_mean_second"]!);
        double fviFirst = (double)twins["fvi_mean_first"]!, fviSecond = (double)twins["fvi_mean_second"]!;
        Assert.Equal(Math.Sign(exactFirst - exactSecond), Math.Sign(fviFirst - fviSecond));
    }

    [Fact]
    public void HmmExactMeansSolveTheTridiagonalSystem()
    {
        var hmm = new HmmProblem(new RandomStream(3), 30);
        var m = hmm.ExactMeans();
        var x = hmm.Observations;
        // Λm = x with Λ = DᵀD + I: rows 3 m₀ − m₁, −m_{i−1} + 3 m_i − m_{i+1}, −m_{n−2} + 2 m_{n−1}.
        for (int i = 0; i < 30; i++)
        {
            double row = (i == 29 ? 2 : 3) * m[i] - (i > 0 ? m[i - 1] : 0) - (i < 29 ? m[i + 1] : 0);
            Assert.Equal(x[i], row, 10);
        }
    }

    [Fact]
    public void UnknownModelIsAnError()
    {
        var error = new StringWriter();
        int code = Program.BuildRootCommand().Parse(["experiment", "amortization", "--model", "bogus", "--quick", "--out", _dir])
            .Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        Assert.NotEqual(0, code);
        Assert.Contains("bogus", error.ToString());
    }
}

/// <summary>The amortization models' log joint densities against MathNet's normal densities.</summary>
public class AmortizationProblemTests
{
    [Fact]
    public void LogJointsMatchTheModelsWrittenWithMathNet()
    {
        var z = new double[] { 0.3, -1.2, 2.0, 0.7, -0.1 };
        var linear = new LinearProblem(new RandomStream(4), 5);
        double expected = 0;
        for (int i = 0; i < 5; i++)
            expected += MathNet.Numerics.Distributions.Normal.PDFLn(0, 1, z[i]) + MathNet.Numerics.Distributions.Normal.PDFLn(0.4 + 1.155 * z[i], 2.43, linear.Observations[i]);
        Assert.Equal(expected, linear.LogJoint(Vinfer.Tensors.Tensor.FromArray(z, 1, 5), Vinfer.Tensors.Tensor.FromArray([0.4], 1, 1)).Span[0], 9);
        var nonlinear = new NonlinearProblem(new RandomStream(5), 5);
        expected = 0;
        for (int i = 0; i < 5; i++)
            expected += MathNet.Numerics.Distributions.Normal.PDFLn(0, 1, z[i])
                + MathNet.Numerics.Distributions.Normal.PDFLn(0.4 + z[i] + z[i] * Math.Sin(z[i]), Math.Exp(Math.Cos(z[i])), nonlinear.Observations[i]);
        Assert.Equal(expected, nonlinear.LogJoint(Vinfer.Tensors.Tensor.FromArray(z, 1, 5), Vinfer.Tensors.Tensor.FromArray([0.4], 1, 1)).Span[0], 9);
    }
}
