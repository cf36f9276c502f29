//! Issue relations: list, create and delete the links between two issues.

use http::Method;
use redmine_client::relations::{NewRelation, RelationType};
use redmine_client::{IssueId, RelationId};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::json;

use super::to_value;
use crate::context::CallContext;
use crate::error::ToolError;
use crate::tool::{Annotations, RestBinding, Tool, ToolSpec};

/// Arguments of `list_issue_relations`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ListRelations {
    /// The issue whose relations to list, by number (e.g. 42).
    issue_id: u64,
}

/// The kinds of link between two issues.
#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Relates,
    Duplicates,
    Duplicated,
    Blocks,
    Blocked,
    Precedes,
    Follows,
    CopiedTo,
    CopiedFrom,
}

impl From<Kind> for RelationType {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Relates => Self::Relates,
            Kind::Duplicates => Self::Duplicates,
            Kind::Duplicated => Self::Duplicated,
            Kind::Blocks => Self::Blocks,
            Kind::Blocked => Self::Blocked,
            Kind::Precedes => Self::Precedes,
            Kind::Follows => Self::Follows,
            Kind::CopiedTo => Self::CopiedTo,
            Kind::CopiedFrom => Self::CopiedFrom,
        }
    }
}

/// Arguments of `create_issue_relation`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CreateRelation {
    /// The issue the relation starts from, by number.
    issue_id: u64,
    /// The other issue, by number.
    issue_to_id: u64,
    /// What the link means, read from issue_id to issue_to_id: "relates", "blocks" (issue_id must
    /// close first), "precedes" (issue_id ends before issue_to_id starts), "duplicates", ...
    relation_type: Kind,
    /// Days between the end of one issue and the start of the other; only for precedes and follows.
    #[schemars(range(min = 0, max = 3650))]
    delay: Option<i64>,
}

/// Arguments of `delete_issue_relation`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct DeleteRelation {
    /// The relation's id, as listed by list_issue_relations (not an issue number).
    id: u64,
}

pub(super) fn tools() -> Vec<Tool> {
    vec![
        Tool::new(
            ToolSpec {
                name: "list_issue_relations",
                title: "List issue relations",
                description: "List the relations of an issue (relates, blocks, precedes, duplicates, \
                              copied) with the related issue numbers. Subtasks are not relations: \
                              use get_issue with include children.",
                annotations: Annotations::READ,
                scopes: &["view_issues"],
                binding: RestBinding {
                    method: Method::GET,
                    path: "/issues/{issue_id}/relations",
                    listed: false,
                },
            },
            list,
        ),
        Tool::new(
            ToolSpec {
                name: "create_issue_relation",
                title: "Relate two issues",
                description: "Link two issues: relates, blocks, precedes (with an optional delay in \
                              days), duplicates or copied. Returns the relation with its id.",
                annotations: Annotations::CREATE,
                scopes: &["manage_issue_relations"],
                binding: RestBinding {
                    method: Method::POST,
                    path: "/issues/{issue_id}/relations",
                    listed: false,
                },
            },
            create,
        ),
        Tool::new(
            ToolSpec {
                name: "delete_issue_relation",
                title: "Delete an issue relation",
                description: "Remove a link between two issues, by the relation id that \
                              list_issue_relations shows. The issues themselves stay.",
                annotations: Annotations::DELETE,
                scopes: &["manage_issue_relations"],
                binding: RestBinding {
                    method: Method::DELETE,
                    path: "/relations/{id}",
                    listed: false,
                },
            },
            delete,
        ),
    ]
}

async fn list(
    context: CallContext,
    arguments: ListRelations,
) -> Result<serde_json::Value, ToolError> {
    let relations = context.client().list_relations(IssueId(arguments.issue_id)).await?;
    Ok(json!({ "issue_id": arguments.issue_id, "relations": to_value(&relations)? }))
}

async fn create(
    context: CallContext,
    arguments: CreateRelation,
) -> Result<serde_json::Value, ToolError> {
    let mut relation =
        NewRelation::new(IssueId(arguments.issue_to_id), arguments.relation_type.into());
    if let Some(delay) = arguments.delay {
        relation = relation.delay(delay);
    }
    let created = context.client().create_relation(IssueId(arguments.issue_id), &relation).await?;
    Ok(json!({ "relation": to_value(&created)? }))
}

async fn delete(
    context: CallContext,
    arguments: DeleteRelation,
) -> Result<serde_json::Value, ToolError> {
    context.client().delete_relation(RelationId(arguments.id)).await?;
    Ok(json!({ "deleted": true, "relation_id": arguments.id }))
}
