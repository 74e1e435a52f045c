using System.Text.Json.Nodes;
using Vinfer.Guides;
using Vinfer.Inference;
using Vinfer.Objectives;
using Vinfer.Optim;

namespace Vinfer.Tests.Inference;

public class SviCheckpointTests
{
    private static Svi Make(ConjugateNormal c) => new(c.Model, new AutoNormal(c.Model), new Adam(0.05), new Elbo(2));

    [Fact]
    public void VersionOneFilesStillResumeBitIdentically()
    {
        // A version-1 file has no objective state; for a stateless objective it resumes exactly as before.
        var c = new ConjugateNormal();
        var options = new SviOptions { Steps = 30, EvalEvery = 10, Tolerance = 1e-9, Seed = 4 };
        var straight = Make(c);
        var full = straight.Run(options);
        var first = Make(c);
        first.Run(options with { Steps = 20 });
        var json = first.LastCheckpoint!.ToJson();
        Assert.Equal(2, (int)json["version"]!);
        json["version"] = 1;
        json.Remove("objective_state");
        var v1 = SviCheckpoint.FromJson(JsonNode.Parse(json.ToJsonString())!);
        Assert.Null(v1.ObjectiveState);
        var resumed = Make(c);
        var rest = resumed.Run(options, v1);
        Assert.Equal(full.ElboTrace, rest.ElboTrace);
        Assert.Equal(full.ElboEvaluations, rest.ElboEvaluations);
        Assert.Equal(straight.Store.SnapshotValues()["AutoNormal.loc.mu"], resumed.Store.SnapshotValues()["AutoNormal.loc.mu"]);
    }

    [Fact]
    public void UnknownVersionsAreRejectedWithTheVersion()
    {
        var c = new ConjugateNormal();
        var svi = Make(c);
        svi.Run(new SviOptions { Steps = 2 });
        var json = svi.LastCheckpoint!.ToJson();
        json["version"] = 3;
        Assert.Contains("version 3", Assert.Throws<FormatException>(() => SviCheckpoint.FromJson(json)).Message);
    }

    [Fact]
    public void TheLoopCheckpointRoundTripsThroughTheSviCheckpoint()
    {
        var c = new ConjugateNormal();
        var svi = Make(c);
        svi.Run(new SviOptions { Steps = 12, EvalEvery = 5, Tolerance = 1e-9, Seed = 3 });
        var checkpoint = svi.LastCheckpoint!;
        var loop = FitLoopCheckpoint.FromJson(JsonNode.Parse(checkpoint.ToFitLoopCheckpoint().ToJson().ToJsonString())!);
        var back = SviCheckpoint.FromFitLoopCheckpoint(loop);
        Assert.Equal(checkpoint.ToJson().ToJsonString(), back.ToJson().ToJsonString());
    }
}
