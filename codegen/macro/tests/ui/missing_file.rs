awsjson_codegen_macro::generate!("tests/ui/no_such_model.json");

fn main() {}
