#:sdk Microsoft.NET.Sdk.Web
#:property PublishAot=false
// The floor of the service's load measurement: the same ASP.NET Core host (WebApplication.CreateBuilder, Kestrel,
// routing, System.Text.Json), answering POST /predict with a constant and no model, no body parsing, no
// middleware. What the service costs above it is its own: reading and checking the body, the limits, metrics,
// ONNX Runtime. A .NET 10 file-based app, published by samples/SimpleRnnTorch.Service/load.sh:
//   dotnet run samples/PredictLoad/ConstantFloor.cs -- --urls http://127.0.0.1:5081
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
var answer = new { predictions = new[] { 80.0f } };
app.MapPost("/predict", () => answer);
app.Run();
