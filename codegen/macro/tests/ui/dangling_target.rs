awsjson_codegen_macro::generate!("tests/ui/dangling.json");

fn main() {}
