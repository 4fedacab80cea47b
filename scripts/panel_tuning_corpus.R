#!/usr/bin/env Rscript
# Real panels beside data/panels, for choosing the panel defaults on more than the panels the issue names:
# public data sets that R packages carry (Debian: r-cran-aer, r-cran-plm, r-cran-tseries). They are read
# from the installed packages and written, with a manifest in scripts/panel_protocol.py's format, into the
# folder given (not into the repository: the packages carry them under their own terms).
#
#   Rscript scripts/panel_tuning_corpus.R OUT
#   /usr/bin/python3 scripts/panel_protocol.py --manifest OUT/manifest.csv --program "..."
args <- commandArgs(trailingOnly = TRUE)
if (length(args) != 1) { message("usage: panel_tuning_corpus.R OUT"); quit(status = 2) }
out <- args[1]
dir.create(out, showWarnings = FALSE, recursive = TRUE)
suppressMessages({ library(AER); library(plm); library(tseries) })

fmt <- function(x) ifelse(is.na(x), "", format(x, digits = 10, trim = TRUE, scientific = FALSE))
label <- function(t, f) {
  y <- floor(t + 1e-9); k <- round((t - y) * f) + 1
  if (f == 1) as.character(y) else if (f == 4) sprintf("%dQ%d", y, k) else sprintf("%d-%02d", y, k)
}
wide <- function(name, series, time, freq, h, m, cols, source) {
  d <- data.frame(time = label(as.numeric(time(series)), frequency(series)))
  names(d) <- time
  for (c in cols) d[[c]] <- fmt(as.numeric(series[, c]))
  file <- file.path(out, paste0(name, ".csv"))
  write.csv(d, file, row.names = FALSE, quote = FALSE)
  data.frame(name = name, file = file, format = "wide", id_column = "", time_column = time,
             value_columns = paste(cols, collapse = ","), frequency = freq, horizon = h, season = m,
             series = length(cols), rows = nrow(d), source = source)
}
rows <- list()

data(Cigar, package = "plm")
cig <- data.frame(state = sprintf("s%02d", Cigar$state), year = 1900 + Cigar$year, sales = Cigar$sales)
write.csv(cig, file.path(out, "cigar_long.csv"), row.names = FALSE, quote = FALSE)
rows[[length(rows) + 1]] <- data.frame(name = "cigar_long", file = file.path(out, "cigar_long.csv"), format = "long",
  id_column = "state", time_column = "year", value_columns = "sales", frequency = "yearly", horizon = 6, season = 1,
  series = length(unique(cig$state)), rows = nrow(cig), source = "plm Cigar (Baltagi): cigarette sales per capita, 46 US states")

data(NelPlo, package = "tseries")
rows[[length(rows) + 1]] <- wide("nelplo_wide", NelPlo, "year", "yearly", 6, 1, colnames(NelPlo),
  "tseries NelPlo (Nelson and Plosser 1982): 14 US annual series, ragged starts")
data(USMacroG, package = "AER")
rows[[length(rows) + 1]] <- wide("usmacrog_wide", USMacroG, "quarter", "quarterly", 8, 4, colnames(USMacroG),
  "AER USMacroG (Greene): US quarterly macroeconomics 1950-2000")
data(ChinaIncome, package = "AER")
rows[[length(rows) + 1]] <- wide("chinaincome_wide", ChinaIncome, "year", "yearly", 6, 1, colnames(ChinaIncome),
  "AER ChinaIncome (Chow 1993): Chinese real national income by sector 1952-1988")
rows[[length(rows) + 1]] <- wide("seatbelts_wide", Seatbelts, "month", "monthly", 18, 12,
  c("DriversKilled", "drivers", "front", "rear", "kms", "PetrolPrice", "VanKilled"),
  "R datasets Seatbelts (Harvey and Durbin 1986): UK road casualties 1969-1984")
data(FrozenJuice, package = "AER")
rows[[length(rows) + 1]] <- wide("frozenjuice_wide", FrozenJuice, "month", "monthly", 18, 12, c("price", "ppi"),
  "AER FrozenJuice (Stock and Watson): orange juice price and PPI 1950-2000")
data(PepperPrice, package = "AER")
rows[[length(rows) + 1]] <- wide("pepper_wide", PepperPrice, "month", "monthly", 18, 12, colnames(PepperPrice),
  "AER PepperPrice: black and white pepper spot prices 1973-1996")
data(UKDriverDeaths)
write.csv(do.call(rbind, rows), file.path(out, "manifest.csv"), row.names = FALSE)
cat("wrote", length(rows), "panels to", out, "\n")
