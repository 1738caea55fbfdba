awsjson_codegen_macro::generate!("tests/ui/small.json", operation = [GetThing]);

fn main() {}
