# Writes the corpus series taken from R's `datasets` package to data/corpus/r_<name>.csv, one date column
# and one value column, in date formats the program reads (yyyy, yyyyQn, yyyy-MM, yyyy-MM-dd).
#
#   Rscript scripts/m4_corpus.R [OUT_DIR]      (default data/corpus; Debian: apt-get install r-base-core)
#
# EuStockMarkets holds closing prices on trading days (frequency 260, no dates): its four indices are
# written against consecutive calendar days from 1991-07-01, a stand-in the corpus README states.
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) >= 1) args[1] else "data/corpus"
dir.create(out, showWarnings = FALSE, recursive = TRUE)

labels <- function(x) {
  f <- frequency(x)
  t0 <- start(x)
  n <- length(x)
  if (f == 12) {
    k <- (t0[1] * 12 + t0[2] - 1) + 0:(n - 1)
    return(list(col = "month", lab = sprintf("%04d-%02d", k %/% 12, k %% 12 + 1)))
  }
  if (f == 4) {
    k <- (t0[1] * 4 + t0[2] - 1) + 0:(n - 1)
    return(list(col = "quarter", lab = sprintf("%04dQ%d", k %/% 4, k %% 4 + 1)))
  }
  if (f == 1) {
    return(list(col = "year", lab = sprintf("%04d", as.integer(round(time(x))))))
  }
  if (f == 0.1) {  # uspop: every tenth year
    return(list(col = "year", lab = sprintf("%04d", as.integer(round(time(x))))))
  }
  stop(sprintf("unexpected frequency %g", f))
}

write_series <- function(name, x, value_name) {
  l <- labels(x)
  df <- data.frame(l$lab, format(as.numeric(x), digits = 15, trim = TRUE, scientific = FALSE))
  names(df) <- c(l$col, value_name)
  path <- file.path(out, paste0("r_", name, ".csv"))
  write.csv(df, path, row.names = FALSE, quote = FALSE)
  cat(sprintf("%s: %d values, %s %s to %s\n", path, length(x), l$col, l$lab[1], l$lab[length(x)]))
}

library(datasets)
for (nm in c("USAccDeaths", "ldeaths", "mdeaths", "fdeaths", "co2", "airmiles", "uspop",
             "AirPassengers", "UKgas", "JohnsonJohnson", "nottem", "LakeHuron", "lynx")) {
  write_series(nm, get(nm), "value")
}

days <- format(as.Date("1991-07-01") + 0:(nrow(EuStockMarkets) - 1), "%Y-%m-%d")
for (j in colnames(EuStockMarkets)) {
  df <- data.frame(date = days, value = format(as.numeric(EuStockMarkets[, j]), digits = 15, trim = TRUE,
                                               scientific = FALSE))
  path <- file.path(out, paste0("r_EuStockMarkets_", j, ".csv"))
  write.csv(df, path, row.names = FALSE, quote = FALSE)
  cat(sprintf("%s: %d values, date %s to %s (stand-in days)\n", path, nrow(df), days[1], days[nrow(df)]))
}
