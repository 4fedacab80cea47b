# The yardsticks of scripts/panel_protocol.py: R's forecast package on the training part of each series of a panel.
#
#   Rscript scripts/panel_yardsticks.R JOBS.csv OUT.csv [MAX_N]      (Debian 12: apt-get install r-cran-forecast)
#
# JOBS.csv: key,m,h,y  (one series per row: its training values, space-separated, the season m, the horizon h).
# OUT.csv:  key,method,step,forecast,lower,upper,seconds  (the 80% interval; empty where a method has none)
# Methods, each with its defaults and level = 80: naive, snaive (m > 1 only), ets, thetaf, auto.arima.
# The season m is the ts frequency: 1 yearly and daily (business days), 4 quarterly, 12 monthly, 24 hourly.
# ets() takes frequencies up to 24, so hourly series get its seasonal models (m = 24) like any other; thetaf
# deseasonalises when its seasonality test at lag m says so; auto.arima searches seasonal orders at lag m
# (stepwise, with its approximation, the default above 150 values or m > 12).
# Long series: ets and auto.arima fit only the last MAX_N values (default 2000; 0: all); naive, snaive and
# thetaf always see the whole training part. The hourly panel's 2,112 training values are cut to 2,000 so
# (ets takes 15 to 40 s on them).
# Seasons above 12 (hourly, m = 24): auto.arima(y, method = "CSS"), conditional sum of squares for the search
# and the final fit, not its default exact-likelihood refit of the best models: at lag 24 each such refit
# takes about a minute on 2,000 values and often fails, so it tries the next model, and the next (on one
# hourly series of the panel it had not ended after 16 minutes; with CSS: 9 s). Seasons of 12 and less keep
# auto.arima's defaults.
# A method that fails is written with an empty forecast and its error on stderr.
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2 || length(args) > 3) {
  cat("usage: Rscript panel_yardsticks.R JOBS.csv OUT.csv [MAX_N]\n", file = stderr())
  quit(status = 2)
}
max_n <- if (length(args) == 3) suppressWarnings(as.integer(args[3])) else 2000L
if (is.na(max_n) || max_n < 0) {
  cat("panel_yardsticks.R: MAX_N must be a whole number >= 0\n", file = stderr())
  quit(status = 2)
}
jobs <- read.csv(args[1], colClasses = c("character", "integer", "integer", "character"))

recent <- function(y) {
  if (max_n > 0 && length(y) > max_n) ts(tail(as.numeric(y), max_n), frequency = frequency(y)) else y
}

methods <- list(
  naive = function(y, h) naive(y, h = h, level = 80),
  snaive = function(y, h) if (frequency(y) > 1) snaive(y, h = h, level = 80) else NULL,
  ets = function(y, h) forecast(ets(recent(y)), h = h, level = 80),
  thetaf = function(y, h) thetaf(y, h = h, level = 80),
  auto.arima = function(y, h) {
    fit <- if (frequency(y) > 12) auto.arima(recent(y), method = "CSS") else auto.arima(recent(y))
    forecast(fit, h = h, level = 80)
  }
)

out <- file(args[2], "w")
writeLines("key,method,step,forecast,lower,upper,seconds", out)
num <- function(x) ifelse(is.na(x), "", format(x, digits = 10, scientific = FALSE, trim = TRUE))
for (i in seq_len(nrow(jobs))) {
  key <- jobs$key[i]
  m <- jobs$m[i]
  h <- jobs$h[i]
  y <- ts(as.numeric(strsplit(jobs$y[i], " ", fixed = TRUE)[[1]]), frequency = m)
  for (name in names(methods)) {
    t0 <- proc.time()[["elapsed"]]
    fc <- tryCatch(methods[[name]](y, h), error = function(e) {
      cat(sprintf("%s %s: %s\n", key, name, conditionMessage(e)), file = stderr())
      list(mean = rep(NA_real_, h))
    })
    if (is.null(fc)) next
    secs <- proc.time()[["elapsed"]] - t0
    mean <- as.numeric(fc$mean)
    lower <- if (!is.null(fc$lower)) as.numeric(fc$lower[, 1]) else rep(NA_real_, h)
    upper <- if (!is.null(fc$upper)) as.numeric(fc$upper[, 1]) else rep(NA_real_, h)
    writeLines(sprintf("%s,%s,%d,%s,%s,%s,%s", key, name, seq_len(h), num(mean), num(lower), num(upper),
                       format(secs, digits = 4)), out)
  }
  flush(out)
  if (i %% 10 == 0) cat(sprintf("%s: %d/%d series\n", basename(args[2]), i, nrow(jobs)), file = stderr())
}
close(out)
