// Eight schools, non-centred: the same model and priors as Vinfer's built-in `eight_schools`
// (posteriordb eight_schools_noncentered with mu ~ normal(0, 5), tau ~ half-Cauchy(0, 5)).
data {
  int<lower=0> J;
  real y[J];
  real<lower=0> sigma[J];
}
parameters {
  real mu;
  real<lower=0> tau;
  vector[J] theta_trans;
}
transformed parameters {
  vector[J] theta = mu + tau * theta_trans;
}
model {
  mu ~ normal(0, 5);
  tau ~ cauchy(0, 5);
  theta_trans ~ normal(0, 1);
  y ~ normal(theta, sigma);
}
