using BenchmarkDotNet.Running;

// `make bench` runs a short job of every benchmark; pass BenchmarkDotNet's own arguments to filter.
return BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).Any() ? 0 : 1;
