using SimpleRnnTorch.Cli;

return CliApp.Run(args);
