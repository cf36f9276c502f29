use redmine_client::search::{SearchAttachments, SearchQuery, SearchScope, SearchType};
use wiremock::Mock;
use wiremock::matchers::{header, method, path};

use crate::support::{KEY, QueryIs, client, json_response, server};

#[tokio::test]
async fn search_sends_every_option() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/search.json"))
        .and(QueryIs::new(&[
            ("q", "project"),
            ("scope", "my_projects"),
            ("all_words", ""),
            ("titles_only", "1"),
            ("open_issues", "1"),
            ("attachments", "1"),
            ("issues", "1"),
            ("news", "1"),
            ("documents", "1"),
            ("changesets", "1"),
            ("wiki_pages", "1"),
            ("messages", "1"),
            ("projects", "1"),
            ("offset", "0"),
            ("limit", "4"),
        ]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "search_results.json"))
        .expect(1)
        .mount(&server)
        .await;

    let query = SearchQuery::new("project")
        .scope(SearchScope::MyProjects)
        .all_words(false)
        .titles_only(true)
        .open_issues(true)
        .attachments(SearchAttachments::Also)
        .types(&[
            SearchType::Projects,
            SearchType::Messages,
            SearchType::WikiPages,
            SearchType::Changesets,
            SearchType::Documents,
            SearchType::News,
            SearchType::Issues,
        ])
        .offset(0)
        .limit(4);
    let page = client(&server).search(&query).await.unwrap();

    assert_eq!((page.total_count, page.items.len()), (6, 4));
    let wiki = &page.items[0];
    assert_eq!((wiki.id, wiki.kind.as_str(), wiki.title.as_str()), (1, "wiki-page", "Wiki: Wiki"));
    assert!(wiki.url.ends_with("/projects/project-a/wiki/Wiki"));
    assert!(page.items[1].is_issue());
}

#[tokio::test]
async fn search_by_default_sends_only_the_text() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/search.json"))
        .and(QueryIs::new(&[("q", "checkout \"page load\"")]))
        .respond_with(json_response(200, "search_results.json"))
        .expect(1)
        .mount(&server)
        .await;

    client(&server).search(&SearchQuery::new("checkout \"page load\"")).await.unwrap();
}

#[tokio::test]
async fn search_project_scopes_the_path_and_sends_options() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/projects/project-a/search.json"))
        .and(QueryIs::new(&[
            ("q", "checkout"),
            ("scope", "subprojects"),
            ("attachments", "only"),
            ("limit", "10"),
        ]))
        .and(header("x-redmine-api-key", KEY))
        .respond_with(json_response(200, "project_search_results.json"))
        .expect(1)
        .mount(&server)
        .await;

    let query = SearchQuery::new("checkout")
        .scope(SearchScope::Subprojects)
        .attachments(SearchAttachments::Only)
        .limit(10);
    let page = client(&server).search_project("project-a", &query).await.unwrap();

    let kinds: Vec<_> = page.items.iter().map(|r| r.kind.as_str()).collect();
    assert_eq!(kinds, ["news", "issue", "issue"]);
    assert_eq!(page.next_offset(), None);
}

#[tokio::test]
async fn search_without_words_is_an_empty_page() {
    // Redmine answers a text without any word of two characters with `"total_count": null`.
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/search.json"))
        .and(QueryIs::new(&[("q", "a")]))
        .respond_with(json_response(200, "search_no_words.json"))
        .expect(1)
        .mount(&server)
        .await;

    let page = client(&server).search(&SearchQuery::new("a")).await.unwrap();

    assert_eq!((page.items.len(), page.total_count), (0, 0));
}
