awsjson_codegen_macro::generate!("tests/ui/small.json", operations = [GetThing, PutThng]);

fn main() {}
