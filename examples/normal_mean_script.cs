// The normal-mean model of examples/normal_mean.cs as a script body: the file is the model program itself, run once
// per evaluation; Data reads each field once. `vinfer fit examples/normal_mean_script.cs --data examples/normal_mean.json`
//   mu ~ normal(m0, s0),  y[n] ~ normal(mu, sigma)  =>  mu | y ~ normal(1.3268, 0.3123) for the bundled data.
var y = Data.Vector("y");
double sigma = Data.Real("sigma"), m0 = Data.Real("m0"), s0 = Data.Real("s0");

var mu = Sample("mu", new Normal(m0, s0));
using (Plate("data", y.Count))
    Sample("y", new Normal(mu, Tensor.Scalar(sigma)), y);
