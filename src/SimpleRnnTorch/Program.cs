using SimpleRnnTorch.Cli;

return CliApp.Run(args, overlapStartup: true);
