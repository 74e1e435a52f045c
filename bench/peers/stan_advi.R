#!/usr/bin/env Rscript
# Stan's ADVI (rstan::vb, Kucukelbir et al., JMLR 2017) on one model and data file, with a long NUTS run as the
# accuracy reference. Prints JSON lines on stdout (Stan's own messages go to stderr):
#   {"tool":"stan","kind":"compile",   "model", "seconds"}                         C++ compile of the model
#   {"tool":"stan","kind":"reference", "model", "cached", "seconds", "chains", "draws", "max_rhat", "min_n_eff",
#    "divergences", "parameters": {name: {"mean","sd"}}}                           NUTS, read from the cache if there
#   {"tool":"stan","kind":"advi", "model", "family", "tol", "seed", "seconds", "iterations", "converged",
#    "parameters": {name: {"mean","sd"}}}                                          one per family and seed
# "seconds" of an ADVI line is the wall time of rstan::vb alone (step-size adaptation, optimization and the 1000
# output draws, Stan's defaults otherwise), without the compile.
# The NUTS summary is cached in REFERENCE (JSON) keyed by the model file's and the data file's MD5, so reruns skip it.
#
# Usage: Rscript bench/peers/stan_advi.R --model NAME --stan FILE.stan --data FILE.json --reference FILE.json
#          [--tol 0.01] [--families meanfield,fullrank] [--seeds 1] [--ref-chains 4] [--ref-draws 5000]
#          [--ref-warmup 1000] [--adapt-delta 0.95]
suppressPackageStartupMessages({
  library(rstan)
  library(jsonlite)
})

fail <- function(...) {
  cat("stan_advi.R: ", ..., "\n", sep = "", file = stderr())
  quit(status = 2)
}

parse_args <- function(args) {
  opts <- list(tol = "0.01", families = "meanfield,fullrank", seeds = "1", `ref-chains` = "4",
               `ref-draws` = "5000", `ref-warmup` = "1000", `adapt-delta` = "0.95")
  if (length(args) %% 2 != 0) fail("options come in pairs (--name value); got: ", paste(args, collapse = " "))
  for (i in seq(1, length(args), by = 2)) {
    key <- sub("^--", "", args[i])
    if (key == args[i]) fail("expected an option starting with --, got '", args[i], "'")
    opts[[key]] <- args[i + 1]
  }
  for (required in c("model", "stan", "data", "reference"))
    if (is.null(opts[[required]])) fail("missing option --", required)
  known <- c("model", "stan", "data", "reference", "tol", "families", "seeds", "ref-chains", "ref-draws",
             "ref-warmup", "adapt-delta")
  unknown <- setdiff(names(opts), known)
  if (length(unknown) > 0) fail("unknown option --", unknown[1])
  number <- function(name) {
    v <- suppressWarnings(as.numeric(opts[[name]]))
    if (is.na(v) || v <= 0) fail("--", name, " must be a positive number, got '", opts[[name]], "'")
    v
  }
  families <- strsplit(opts$families, ",")[[1]]
  bad <- setdiff(families, c("meanfield", "fullrank"))
  if (length(bad) > 0) fail("--families: unknown family '", bad[1], "' (meanfield, fullrank)")
  list(model = opts$model, stan = opts$stan, data = opts$data, reference = opts$reference,
       tol = number("tol"), families = families,
       seeds = as.integer(strsplit(opts$seeds, ",")[[1]]),
       ref_chains = as.integer(number("ref-chains")), ref_draws = as.integer(number("ref-draws")),
       ref_warmup = as.integer(number("ref-warmup")), adapt_delta = number("adapt-delta"))
}

emit <- function(x) cat(toJSON(x, auto_unbox = TRUE, digits = NA), "\n", sep = "", file = stdout())

# Posterior mean and sd of every scalar parameter (Stan names, lp__ left out) from a draws matrix.
moments <- function(draws) {
  draws <- draws[, colnames(draws) != "lp__", drop = FALSE]
  out <- list()
  for (name in colnames(draws)) out[[name]] <- list(mean = mean(draws[, name]), sd = sd(draws[, name]))
  out
}

# Runs f with R's stdout diverted to stderr (Stan's progress), returning f's value and the captured text.
quietly <- function(f) {
  lines <- character()
  value <- NULL
  lines <- capture.output(value <- f(), type = "output")
  cat(lines, sep = "\n", file = stderr())
  list(value = value, lines = lines)
}

main <- function() {
  a <- parse_args(commandArgs(trailingOnly = TRUE))
  if (!file.exists(a$stan)) fail("--stan: no such file '", a$stan, "'")
  if (!file.exists(a$data)) fail("--data: no such file '", a$data, "'")
  data <- tryCatch(fromJSON(a$data, simplifyVector = TRUE),
                   error = function(e) fail("--data: '", a$data, "' is not valid JSON: ", conditionMessage(e)))
  rstan_options(auto_write = FALSE)
  # Debian's r-cran-bh ships Boost in /usr/include, not under the BH package, so rstan finds no boost_lib.
  if (!nzchar(rstan_options("boost_lib")) || !file.exists(rstan_options("boost_lib"))) {
    if (!dir.exists("/usr/include/boost")) fail("no Boost headers: install Debian's r-cran-bh (libboost-dev)")
    rstan_options(boost_lib = "/usr/include")
  }

  t0 <- proc.time()[["elapsed"]]
  model <- quietly(function() stan_model(a$stan, model_name = a$model))$value
  emit(list(tool = "stan", kind = "compile", model = a$model, seconds = proc.time()[["elapsed"]] - t0))

  key <- unname(tools::md5sum(c(a$stan, a$data)))
  ref <- NULL
  if (file.exists(a$reference)) {
    cached <- fromJSON(a$reference, simplifyVector = FALSE)
    if (identical(cached$stan_md5, key[1]) && identical(cached$data_md5, key[2]) &&
        identical(as.integer(cached$chains), a$ref_chains) && identical(as.integer(cached$draws), a$ref_draws)) {
      ref <- cached
      ref$cached <- TRUE
    }
  }
  if (is.null(ref)) {
    t0 <- proc.time()[["elapsed"]]
    fit <- quietly(function() sampling(model, data = data, chains = a$ref_chains, iter = a$ref_warmup + a$ref_draws,
                                       warmup = a$ref_warmup, seed = 20261122, refresh = 0,
                                       cores = min(a$ref_chains, parallel::detectCores()),
                                       control = list(adapt_delta = a$adapt_delta)))$value
    seconds <- proc.time()[["elapsed"]] - t0
    s <- summary(fit)$summary
    s <- s[rownames(s) != "lp__", , drop = FALSE]
    params <- list()
    for (name in rownames(s)) params[[name]] <- list(mean = s[name, "mean"], sd = s[name, "sd"],
                                                     se_mean = s[name, "se_mean"], n_eff = s[name, "n_eff"],
                                                     rhat = s[name, "Rhat"])
    sp <- get_sampler_params(fit, inc_warmup = FALSE)
    ref <- list(tool = "stan", kind = "reference", model = a$model, cached = FALSE, seconds = seconds,
                stan_md5 = key[1], data_md5 = key[2], chains = a$ref_chains, draws = a$ref_draws,
                warmup = a$ref_warmup, adapt_delta = a$adapt_delta, seed = 20261122,
                stan_version = as.character(packageVersion("rstan")),
                max_rhat = max(s[, "Rhat"]), min_n_eff = min(s[, "n_eff"]),
                divergences = sum(sapply(sp, function(x) sum(x[, "divergent__"]))),
                parameters = params)
    tmp <- paste0(a$reference, ".tmp")
    writeLines(toJSON(ref, auto_unbox = TRUE, digits = NA, pretty = TRUE), tmp)
    file.rename(tmp, a$reference)
  }
  emit(ref)

  for (family in a$families) for (seed in a$seeds) {
    t0 <- proc.time()[["elapsed"]]
    run <- quietly(function() vb(model, data = data, algorithm = family, tol_rel_obj = a$tol, seed = seed))
    seconds <- proc.time()[["elapsed"]] - t0
    # Stan's table rows: "   iter   ELBO   delta_ELBO_mean   delta_ELBO_med   notes"
    table <- sub("^Chain [0-9]+:", "", run$lines)
    rows <- grep("^\\s+[0-9]+\\s+-?[0-9.e+-]+\\s+[0-9.e+-]+\\s+[0-9.e+-]+", table, value = TRUE)
    iterations <- if (length(rows) > 0) as.integer(strsplit(trimws(tail(rows, 1)), "\\s+")[[1]][1]) else NA
    converged <- any(grepl("CONVERGED", run$lines))
    emit(list(tool = "stan", kind = "advi", model = a$model, family = family, tol = a$tol, seed = seed,
              seconds = seconds, iterations = iterations, converged = converged,
              parameters = moments(as.matrix(run$value))))
  }
}

main()
