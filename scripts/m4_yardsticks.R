# The yardsticks of scripts/m4_protocol.py: R's forecast package on each cut of each series.
#
#   Rscript scripts/m4_yardsticks.R JOBS.csv OUT.csv      (Debian 12: apt-get install r-cran-forecast)
#
# JOBS.csv: key,m,h,y  (one cut per row: the training values, space-separated, the season m, the horizon h).
# OUT.csv:  key,method,step,forecast,lower,upper,seconds  (the 80% interval; empty where a method has none)
# Methods: naive, snaive (m > 1), drift (rwf), auto.arima, ets, thetaf, and the M4 benchmarks Naive2 and
# Comb (the mean of SES, Holt and damped Holt) on the seasonally adjusted series: classical multiplicative
# decomposition when the M4 seasonality test (90%, the autocorrelation at lag m) says seasonal. Each
# method runs with its defaults; one that fails is written with an empty forecast and its error on stderr.
suppressPackageStartupMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 2) {
  cat("usage: Rscript m4_yardsticks.R JOBS.csv OUT.csv\n", file = stderr())
  quit(status = 2)
}
jobs <- read.csv(args[1], colClasses = c("character", "integer", "integer", "character"))

# The M4 competition's seasonality test and benchmarks (its published R code, Benchmarks()).
seasonality_test <- function(input, ppy) {
  tcrit <- 1.645
  if (length(input) < 3 * ppy) return(FALSE)
  xacf <- acf(input, plot = FALSE)$acf[-1, 1, 1]
  clim <- tcrit / sqrt(length(input)) * sqrt(cumsum(c(1, 2 * xacf^2)))
  s <- abs(xacf[ppy]) > clim[ppy]
  if (is.na(s)) FALSE else s
}

m4_adjusted <- function(y, h) {
  ppy <- frequency(y)
  if (ppy > 1 && seasonality_test(y, ppy)) {
    dec <- decompose(y, type = "multiplicative")
    si <- dec$seasonal
    list(des = y / si, si = head(rep(si[(length(si) - ppy + 1):length(si)], h), h), seasonal = TRUE)
  } else {
    list(des = y, si = rep(1, h), seasonal = FALSE)
  }
}

methods <- list(
  naive = function(y, h) naive(y, h = h, level = 80),
  snaive = function(y, h) if (frequency(y) > 1) snaive(y, h = h, level = 80) else NULL,
  drift = function(y, h) rwf(y, h = h, drift = TRUE, level = 80),
  auto.arima = function(y, h) forecast(auto.arima(y), h = h, level = 80),
  ets = function(y, h) forecast(ets(y), h = h, level = 80),
  thetaf = function(y, h) thetaf(y, h = h, level = 80),
  Naive2 = function(y, h) {
    a <- m4_adjusted(y, h)
    list(mean = as.numeric(naive(a$des, h = h)$mean) * a$si)
  },
  Comb = function(y, h) {
    a <- m4_adjusted(y, h)
    f <- (ses(a$des, h = h)$mean + holt(a$des, h = h, damped = FALSE)$mean +
          holt(a$des, h = h, damped = TRUE)$mean) / 3
    list(mean = as.numeric(f) * a$si)
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
  if (i %% 20 == 0) cat(sprintf("%d/%d cuts\n", i, nrow(jobs)), file = stderr())
}
close(out)
