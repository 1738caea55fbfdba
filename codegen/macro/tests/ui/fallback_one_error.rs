// A broken model is one error, not one more for each use of the client it failed to generate.
awsjson_codegen_macro::generate!("tests/ui/dangling.json");

fn main() {
    let client = Client::from_env().expect("configured");
    let again = Client::new(client.config().clone()).expect("configured");
    drop(again);
}
