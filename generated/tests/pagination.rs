//! `into_paginator()` through the real runtime: the output token feeds the next request.

use cognito_idp::runtime::http::{BoxFuture, HttpClient, HttpError, HttpRequest, HttpResponse};
use cognito_idp::runtime::Config;
use cognito_idp::Client;
use std::sync::{Arc, Mutex};

struct Pages {
    bodies: Mutex<Vec<&'static str>>,
    seen: Mutex<Vec<serde_json::Value>>,
}

impl HttpClient for Pages {
    fn send(
        &self,
        request: HttpRequest,
        _max_body: usize,
    ) -> BoxFuture<'_, Result<HttpResponse, HttpError>> {
        self.seen
            .lock()
            .unwrap()
            .push(serde_json::from_slice(request.body()).unwrap());
        let body = self.bodies.lock().unwrap().remove(0);
        let response = http::Response::builder()
            .status(200)
            .body(body.as_bytes().to_vec())
            .unwrap();
        Box::pin(async move { Ok(response) })
    }
}

#[tokio::test]
async fn list_users_pages_until_the_token_runs_out() {
    let pages = Arc::new(Pages {
        bodies: Mutex::new(vec![
            r#"{"Users":[{"Username":"a"},{"Username":"b"}],"PaginationToken":"p2"}"#,
            r#"{"Users":[{"Username":"c"}]}"#,
        ]),
        seen: Mutex::new(Vec::new()),
    });
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url("http://127.0.0.1:9")
        .credentials(cognito_idp::runtime::Credentials::new(
            "AKID", "secret", None,
        ))
        .http_client(pages.clone())
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let all = client
        .list_users()
        .user_pool_id("us-east-1_pool")
        .limit(2)
        .into_paginator()
        .unwrap()
        .collect_all()
        .await
        .unwrap();
    let names: Vec<_> = all
        .iter()
        .flat_map(|p| p.users.iter().flatten())
        .filter_map(|u| u.username.clone())
        .collect();
    assert_eq!(names, ["a", "b", "c"]);
    let seen = pages.seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert!(seen[0].get("PaginationToken").is_none());
    assert_eq!(seen[1]["PaginationToken"], "p2");
    assert_eq!(seen[1]["UserPoolId"], "us-east-1_pool");
}
