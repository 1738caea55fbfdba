awsjson_codegen_macro::generate!("../tests/fixtures/event_stream.json", operations = [PutThing, Subscribe]);

fn main() {}
