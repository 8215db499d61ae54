using System.Diagnostics;
using RapidLlm.Validation;

var data = args.Length > 0 ? args[0] : "/work/shared/validation";
var configs = args.Length > 1 ? args[1] : "/work/shared/reference/configs/head/validation_scripts/validation_configs";
var sources = new ValidationSources(data, configs);
var clock = Stopwatch.StartNew();
var results = new ValidationRunner().Run(ValidationCatalog.All(sources));
Console.WriteLine(ValidationReport.Markdown(results));
Console.Error.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s");
