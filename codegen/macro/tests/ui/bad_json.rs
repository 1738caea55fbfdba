awsjson_codegen_macro::generate!("tests/ui/bad_json.json");

fn main() {}
