use awsjson_runtime::paginate::Paginator;

#[derive(Clone, Default)]
struct In {
    token: Option<String>,
}

struct Out {
    n: u32,
    next: Option<String>,
}

#[tokio::test]
async fn stops_on_missing_empty_or_repeated_token_and_on_error() {
    let pages = Paginator::new(
        In::default(),
        |i: In| async move {
            Ok::<_, String>(match i.token.as_deref() {
                None => Out {
                    n: 1,
                    next: Some("a".into()),
                },
                Some("a") => Out {
                    n: 2,
                    next: Some("b".into()),
                },
                Some(_) => Out {
                    n: 3,
                    next: Some("b".into()),
                }, // repeats: stop
            })
        },
        |i: &mut In, t| i.token = t,
        |o: &Out| o.next.clone(),
    )
    .collect_all()
    .await
    .unwrap();
    assert_eq!(pages.iter().map(|p| p.n).collect::<Vec<_>>(), [1, 2, 3]);

    let mut failing = Paginator::new(
        In::default(),
        |_i: In| async move { Err::<Out, _>("boom".to_string()) },
        |i: &mut In, t| i.token = t,
        |o: &Out| o.next.clone(),
    );
    assert!(failing.next_page().await.unwrap().is_err());
    assert!(failing.next_page().await.is_none());

    let empty = Paginator::new(
        In::default(),
        |_i: In| async move {
            Ok::<_, String>(Out {
                n: 9,
                next: Some(String::new()),
            })
        },
        |i: &mut In, t| i.token = t,
        |o: &Out| o.next.clone(),
    )
    .collect_all()
    .await
    .unwrap();
    assert_eq!(empty.len(), 1);
}
