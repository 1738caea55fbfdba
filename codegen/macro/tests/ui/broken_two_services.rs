// A model from the broken-models corpus (codegen/tests/broken-models): a compile error naming
// the shape, not a panic.
awsjson_codegen_macro::generate!("../tests/broken-models/two_services.json");

fn main() {}
