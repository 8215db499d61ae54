Console.Error.WriteLine("RunPerf: not implemented yet.");
return 1;
