// A model from the broken-models corpus (codegen/tests/broken-models): a compile error naming
// the shape, not a panic.
awsjson_codegen_macro::generate!("../tests/broken-models/member_targets_operation.json");

fn main() {}
