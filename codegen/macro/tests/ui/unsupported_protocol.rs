awsjson_codegen_macro::generate!("tests/ui/rest_json.json");

fn main() {}
