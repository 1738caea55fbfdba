awsjson_codegen_macro::generate!("tests/ui/many_problems.json");

fn main() {}
