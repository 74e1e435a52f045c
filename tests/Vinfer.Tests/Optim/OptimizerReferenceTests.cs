using Vinfer.Optim;
using static Vinfer.Tests.Optim.OptimTestKit;

namespace Vinfer.Tests.Optim;

/// <summary>
/// First three steps of each PyTorch-equivalent optimizer from p₀ = (0.5, −1.5, 2) on Σ aᵢpᵢ² + sin(3pᵢ), against
/// the trajectories PyTorch 1.13.1 produced (torch_reference.py in this folder). Agreement to 1e−12 relative:
/// the update formulas are the same, only the floating-point evaluation order differs.
/// </summary>
public class OptimizerReferenceTests
{
    public static TheoryData<string> Cases => new() { "sgd", "sgd_mom", "sgd_nest", "adam", "adamw", "adagrad", "rmsprop", "rmsprop_cm" };

    private static Optimizer Create(string name) => name switch
    {
        "sgd" => new Sgd(0.1),
        "sgd_mom" => new Sgd(0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.01),
        "sgd_nest" => new Sgd(0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true),
        "adam" => new Adam(0.1, weightDecay: 0.01),
        "adamw" => new AdamW(0.1, weightDecay: 0.1),
        "adagrad" => new Adagrad(0.1, learningRateDecay: 0.05, weightDecay: 0.01, initialAccumulator: 0.2),
        "rmsprop" => new RmsProp(0.01, alpha: 0.9, weightDecay: 0.01),
        "rmsprop_cm" => new RmsProp(0.01, alpha: 0.9, momentum: 0.5, centered: true),
        _ => throw new ArgumentException(name),
    };

    private static double[][] Expected(string name) => name switch
    {
        "sgd" => [[0.3787788394996891, -0.836761260170766, 1.51194891400489], [0.17674693473027275, -0.25988004589715324, 1.4134420065001558], [-0.11740804550172015, -0.3692780002573499, 1.4085151831142972]],
        "sgd_mom" => [[0.37827883949968916, -0.8352612601707661, 1.5099489140048903], [0.08628338328500289, 0.2816891339865846, 0.9806617228204589], [-0.45312612604099856, 1.0060890463821186, 0.679800110562168]],
        "sgd_nest" => [[0.26872979504940936, -0.23699639432445557, 1.0689029366092913], [-0.3270766915213142, 0.05011100611569477, 1.0356310779145863], [-0.8197906176918467, -0.17419150952124296, 1.2043411715631018]],
        "adam" => [[0.40000000082154985, -1.4000000001504351, 1.9000000002040605], [0.3011654041652402, -1.2998847259957855, 1.8003973938263595], [0.20247724586669874, -1.199613276093298, 1.70194313257996]],
        "adamw" => [[0.39500000082493847, -1.3850000001507752, 1.8800000002048967], [0.2923554723180545, -1.2710272815714907, 1.761754442268029], [0.1908657708191957, -1.1580344335504427, 1.6464251795717446]],
        "adagrad" => [[0.4061348871522319, -1.4002255416821525, 1.9004138233057002], [0.32812336321990326, -1.330849692978209, 1.8367281969090616], [0.2630179911025461, -1.276203973611472, 1.7896829345126721]],
        "rmsprop" => [[0.46837722421986605, -1.4683772235487513, 1.9683772236023767], [0.4437327666604299, -1.4451976794556667, 1.9457168757605743], [0.4223552817913175, -1.4256802983609644, 1.9269258327446102]],
        "rmsprop_cm" => [[0.46666666758326497, -1.4666666668341948, 1.9666666668943296], [0.4225444497424251, -1.424230486704458, 1.9248420337921512], [0.37446985743958805, -1.3799801564328547, 1.882246355244415]],
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FirstStepsMatchPyTorch(string name)
    {
        var trajectory = Trajectory(Create(name), [0.5, -1.5, 2.0], TorchObjectiveGradient, 3);
        var expected = Expected(name);
        for (int t = 0; t < 3; t++)
            for (int i = 0; i < 3; i++)
                Assert.True(Math.Abs(trajectory[t][i] - expected[t][i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[t][i])),
                    $"{name} step {t + 1} element {i}: got {trajectory[t][i]:R}, PyTorch {expected[t][i]:R}");
    }
}
