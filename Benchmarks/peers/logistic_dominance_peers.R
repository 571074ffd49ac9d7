# Times R peers of logistic dominance analysis (McFadden pseudo-R², all 2^p subsets of a logit model)
# on a file from `kda generate ... --outcome churn` (see logistic_dominance_peers.py, which drives this).
#
# Usage:  Rscript peers/logistic_dominance_peers.R FILE.csv PEER [GENERAL_OUT.csv]
#   PEER is `domir` or `dominanceanalysis`. Prints the elapsed seconds (one number) on stdout.
#   GENERAL_OUT, if given, receives the general dominance per driver (driver,general) for the
#   agreement check against `kda analyze`.
# What is timed: read.csv + the whole dominance analysis (every subset's glm(binomial) fit and the
# dominance statistics), in this process; R start-up and package loading are not timed.
# Peers: domir and dominanceanalysis from CRAN, installed into a private library
# (R_PEER_LIB, default /work/peer-r/rlib). Peers are never a build or test dependency of DriverAnalysis.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: Rscript logistic_dominance_peers.R FILE.csv domir|dominanceanalysis [OUT.csv]")
.libPaths(c(Sys.getenv("R_PEER_LIB", "/work/peer-r/rlib"), .libPaths()))
path <- args[[1]]; peer <- args[[2]]
suppressPackageStartupMessages(library(peer, character.only = TRUE))

run <- function() {
  d <- read.csv(path)
  drivers <- setdiff(names(d), c("respondent_id", "region", "churn"))
  fml <- reformulate(drivers, response = "churn")
  if (peer == "domir") {
    # Null log-likelihood is the same for every subset: fit it once, not 2^p times.
    null_ll <- as.numeric(logLik(glm(churn ~ 1, data = d, family = binomial())))
    r <- domir(fml, function(f) 1 - as.numeric(logLik(glm(f, data = d, family = binomial()))) / null_ll)
    general <- r$General_Dominance
  } else if (peer == "dominanceanalysis") {
    model <- glm(fml, data = d, family = binomial())
    # Computes r2.m (McFadden), r2.cs, r2.n, r2.e for every subset; refits the null model per subset
    # (the package's own da.glm.fit). newdata: the submodels are refitted on d from inside the package.
    r <- dominanceAnalysis(model, newdata = d)
    general <- r$contribution.average$r2.m
  } else stop("unknown peer: ", peer)
  general
}

elapsed <- system.time(general <- run())[["elapsed"]]
if (length(args) >= 3) {
  write.csv(data.frame(driver = names(general), general = unname(general)), args[[3]], row.names = FALSE)
}
cat(sprintf("%.4f\n", elapsed))
