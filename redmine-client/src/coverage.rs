//! Which Redmine REST routes this crate covers, and what it leaves out and why.
//!
//! This module holds no code; it is the ledger to update whenever a route is added. Each row
//! names the route as a template, the client method, and the wiremock test that pins it
//! (`tests/api/<module>.rs`).
//!
//! # Issues
//!
//! | route | method | notes |
//! |---|---|---|
//! | `GET /issues.json` | [`list_issues`], [`stream_issues`] | typed filters for every documented field, `extra` for the rest |
//! | `GET /issues/{id}.json` | [`get_issue`] | every include: `children`, `attachments`, `relations`, `changesets`, `journals`, `watchers`, `allowed_statuses` |
//! | `POST /issues.json` | [`create_issue`] | custom fields, uploads, watchers, parent, private |
//! | `PUT /issues/{id}.json` | [`update_issue`] | any field, notes, private notes, clearing |
//! | `DELETE /issues/{id}.json` | [`delete_issue`] | |
//!
//! The list's parameters, each with a typed setter on [`IssueFilter`]: `project_id` (id or
//! identifier), `subproject_id`, `tracker_id`, `status_id` (`o`, `c`, `*`, ids), `assigned_to_id`
//! and `author_id` and `watcher_id` (ids or `me`), `priority_id`, `category_id`,
//! `fixed_version_id`, `parent_id`, `issue_id`, `cf_{id}`, `subject`, `description`,
//! `created_on`, `updated_on`, `closed_on` (days or instants), `start_date`, `due_date`,
//! `query_id`, `sort`, `include` (`attachments`, `relations`), `offset`, `limit`. Each is
//! checked end to end against Redmine 6.1 and 5.0 in `tests/tests/client_issues.rs`.
//!
//! Known gaps: `subject` and `description` take any [`TextFilter`] although Redmine has no `=`
//! and `!` for them (those match nothing); a leaf issue asked for `children` comes back with
//! `children: None`, not an empty list, because Redmine leaves the key out.
//!
//! Not covered: copying issues (`copy_from`, no API), bulk update (no API), and the
//! `/projects/{id}/issues.json` alias (same as `project_id=`).
//!
//! # Relations, watchers, journals
//!
//! | route | method | notes |
//! |---|---|---|
//! | `GET /issues/{issue_id}/relations.json` | [`list_relations`] | not paginated by Redmine |
//! | `POST /issues/{issue_id}/relations.json` | [`create_relation`] | |
//! | `GET /relations/{id}.json` | [`get_relation`] | |
//! | `DELETE /relations/{id}.json` | [`delete_relation`] | Redmine cannot update a relation |
//! | `POST /issues/{issue_id}/watchers.json` | [`add_watcher`] | |
//! | `DELETE /issues/{issue_id}/watchers/{user_id}.json` | [`remove_watcher`] | |
//! | `PUT /journals/{id}.json` | [`update_journal`] | journals are read through `get_issue` |
//!
//! # Issue categories
//!
//! | route | method | notes |
//! |---|---|---|
//! | `GET /projects/{project}/issue_categories.json` | [`list_issue_categories`] | not paginated by Redmine |
//! | `POST /projects/{project}/issue_categories.json` | [`create_issue_category`] | |
//! | `GET /issue_categories/{id}.json` | [`get_issue_category`] | |
//! | `PUT /issue_categories/{id}.json` | [`update_issue_category`] | |
//! | `DELETE /issue_categories/{id}.json` | [`delete_issue_category`] | optional `reassign_to_id` |
//!
//! # Attachments and uploads
//!
//! | route | method | notes |
//! |---|---|---|
//! | `GET /attachments/{id}.json` | [`get_attachment`] | |
//! | `GET /attachments/download/{id}` | [`download_attachment`] | size cap; not a `.json` path |
//! | `PATCH /attachments/{id}.json` | [`update_attachment`] | file name, description |
//! | `DELETE /attachments/{id}.json` | [`delete_attachment`] | |
//! | `POST /uploads.json` | [`upload`] | `application/octet-stream` body |
//!
//! Not covered: thumbnails (`/attachments/thumbnail/{id}`, images only, same handling as a
//! download) and the zip of all attachments of a container (no JSON API).
//!
//! # Projects
//!
//! | route | method | notes |
//! |---|---|---|
//! | `GET /projects.json` | [`list_projects`], [`stream_projects`] | status, id, name, description, parent, public, created/updated filters; every include; `extra` for custom fields |
//! | `GET /projects/{project}.json` | [`get_project`] | id or identifier; every include |
//! | `POST /projects.json` | [`create_project`] | trackers, modules, issue custom fields, custom fields |
//! | `PUT /projects/{project}.json` | [`update_project`] | clearing parent, default version and assignee |
//! | `DELETE /projects/{project}.json` | [`delete_project`] | 6.x deletes in a background job |
//! | `PUT /projects/{project}/archive.json` | [`archive_project`] | admins only |
//! | `PUT /projects/{project}/unarchive.json` | [`unarchive_project`] | admins only |
//! | `PUT /projects/{project}/close.json` | [`close_project`] | |
//! | `PUT /projects/{project}/reopen.json` | [`reopen_project`] | |
//!
//! Not covered: copying a project (`POST /projects/{id}/copy`, no API) and bulk deletion (HTML
//! only). Archived projects cannot be listed (see [`ProjectFilter::status`]).
//!
//! # Memberships, versions, files
//!
//! | route | method | notes |
//! |---|---|---|
//! | `GET /projects/{project}/memberships.json` | [`list_memberships`], [`stream_memberships`] | paginated |
//! | `POST /projects/{project}/memberships.json` | [`create_membership`] | one user or group; Redmine's `user_ids` (several at once) is not offered, its answer shows only the first |
//! | `GET /memberships/{id}.json` | [`get_membership`] | |
//! | `PUT /memberships/{id}.json` | [`update_membership`] | an empty role list is refused client-side |
//! | `DELETE /memberships/{id}.json` | [`delete_membership`] | |
//! | `GET /projects/{project}/versions.json` | [`list_versions`] | not paginated by Redmine; includes shared versions |
//! | `POST /projects/{project}/versions.json` | [`create_version`] | |
//! | `GET /versions/{id}.json` | [`get_version`] | |
//! | `PUT /versions/{id}.json` | [`update_version`] | |
//! | `DELETE /versions/{id}.json` | [`delete_version`] | |
//! | `GET /projects/{project}/files.json` | [`list_files`] | not paginated by Redmine |
//! | `POST /projects/{project}/files.json` | [`add_file`] | upload token first |
//!
//! # Time entries
//!
//! | route | method | notes |
//! |---|---|---|
//! | `GET /time_entries.json` | [`list_time_entries`], [`stream_time_entries`] | project, subprojects, issue, user, author, activity, from/to, spent_on, comments; `extra` for the rest |
//! | `GET /time_entries/{id}.json` | [`get_time_entry`] | |
//! | `POST /time_entries.json` | [`create_time_entry`] | entries on an issue |
//! | `POST /projects/{project}/time_entries.json` | [`create_time_entry`] | entries on a project: the path takes identifiers, the body's `project_id` does not |
//! | `PUT /time_entries/{id}.json` | [`update_time_entry`] | |
//! | `DELETE /time_entries/{id}.json` | [`delete_time_entry`] | |
//!
//! Not covered: the `/projects/{id}/time_entries.json` and `/issues/{id}/time_entries.json` list
//! aliases (same as the `project_id` and `issue_id` filters), bulk deletion and the report.
//!
//! # News and wiki
//!
//! | route | method | notes |
//! |---|---|---|
//! | `GET /news.json` | [`list_news`] | paginated |
//! | `GET /projects/{project}/news.json` | [`list_project_news`] | paginated |
//! | `GET /news/{id}.json` | [`get_news`] | attachments, comments |
//! | `POST /projects/{project}/news.json` | [`create_news`] | answers 204 without the id; uploads |
//! | `PUT /news/{id}.json` | [`update_news`] | |
//! | `DELETE /news/{id}.json` | [`delete_news`] | |
//! | `GET /projects/{project}/wiki/index.json` | [`list_wiki_pages`] | not paginated by Redmine |
//! | `GET /projects/{project}/wiki/{title}.json` | [`get_wiki_page`] | attachments |
//! | `GET /projects/{project}/wiki/{title}/{version}.json` | [`get_wiki_page_version`] | |
//! | `PUT /projects/{project}/wiki/{title}.json` | [`save_wiki_page`] | creates (201) or updates (204); `version` for conflicts (409); parent; uploads |
//! | `DELETE /projects/{project}/wiki/{title}.json` | [`delete_wiki_page`] | children moved to the top or deleted |
//!
//! Not covered: news comments (no API to write them), renaming, protecting and watching wiki
//! pages, section edits and deleting single wiki versions (no API).
//!
//! # Users, my account, groups
//!
//! | route | method | notes |
//! |---|---|---|
//! | `GET /users.json` | [`list_users`], [`stream_users`] | admins only; status, name, group; `*` (any status) reads as no status on 5.0 (see [`UserFilter::any_status`]); `extra` for the rest |
//! | `GET /users/{id}.json` | [`get_user`] | memberships, groups (admins only) |
//! | `GET /users/current.json` | [`current_user`] | 401 for anonymous callers: the credential check |
//! | `POST /users.json` | [`create_user`] | admins only; `send_information` beside the envelope |
//! | `PUT /users/{id}.json` | [`update_user`] | admins only; lock and unlock through `status`; `group_ids` |
//! | `DELETE /users/{id}.json` | [`delete_user`] | admins only |
//! | `GET /my/account.json` | [`my_account`] | no API key under OAuth |
//! | `GET /groups.json` | [`list_groups`], [`list_all_groups`] | admins only; not paginated by Redmine; `builtin=1` |
//! | `GET /groups/{id}.json` | [`get_group`] | users, memberships |
//! | `POST /groups.json` | [`create_group`] | admins only |
//! | `PUT /groups/{id}.json` | [`update_group`] | admins only; `user_ids` replaces the members |
//! | `DELETE /groups/{id}.json` | [`delete_group`] | admins only |
//! | `POST /groups/{id}/users.json` | [`add_group_user`] | 422 for a user already in the group |
//! | `DELETE /groups/{id}/users/{user_id}.json` | [`remove_group_user`] | |
//!
//! Not covered: `PUT /my/account.json` (refused under OAuth; admins use `update_user`), user
//! preferences (`pref`), authentication sources (`auth_source_id`, `include=auth_source`), the
//! user list's query filters beyond name, group and status (reachable through
//! [`UserFilter::extra`]), and group memberships (managed through project memberships).
//!
//! # Reference data and search
//!
//! | route | method | notes |
//! |---|---|---|
//! | `GET /roles.json` | [`list_roles`] | givable roles only |
//! | `GET /roles/{id}.json` | [`get_role`] | permissions, visibilities |
//! | `GET /queries.json` | [`list_queries`], [`stream_queries`] | paginated; `type` for non-issue queries (an unknown one is a 500) |
//! | `GET /custom_fields.json` | [`list_custom_fields`] | admins only; possible values, trackers and roles always included |
//! | `GET /trackers.json` | [`list_trackers`] | |
//! | `GET /issue_statuses.json` | [`list_issue_statuses`] | |
//! | `GET /enumerations/issue_priorities.json` | [`list_issue_priorities`] | |
//! | `GET /enumerations/time_entry_activities.json` | [`list_time_entry_activities`] | system-wide values only |
//! | `GET /enumerations/document_categories.json` | [`list_document_categories`] | |
//! | `GET /search.json` | [`search`] | every option and type flag; flags are sent as `1` or left out |
//! | `GET /projects/{project}/search.json` | [`search_project`] | |
//!
//! Not covered: writing roles, trackers, statuses, enumerations, custom fields and queries (no
//! API), and the search's `page` parameter (`offset` does the same).
//!
//! # Not covered at all
//!
//! Documents: Redmine 5.0 and 6.1 serve them as HTML only, without a REST API; only their
//! categories are listed ([`list_document_categories`]). Repositories and changesets beyond an
//! issue's `changesets` include, forums and messages, and the admin-only settings have no REST
//! API either.
//!
//! [`list_issues`]: crate::Client::list_issues
//! [`stream_issues`]: crate::Client::stream_issues
//! [`get_issue`]: crate::Client::get_issue
//! [`create_issue`]: crate::Client::create_issue
//! [`update_issue`]: crate::Client::update_issue
//! [`delete_issue`]: crate::Client::delete_issue
//! [`list_relations`]: crate::Client::list_relations
//! [`create_relation`]: crate::Client::create_relation
//! [`get_relation`]: crate::Client::get_relation
//! [`delete_relation`]: crate::Client::delete_relation
//! [`add_watcher`]: crate::Client::add_watcher
//! [`remove_watcher`]: crate::Client::remove_watcher
//! [`update_journal`]: crate::Client::update_journal
//! [`list_issue_categories`]: crate::Client::list_issue_categories
//! [`create_issue_category`]: crate::Client::create_issue_category
//! [`get_issue_category`]: crate::Client::get_issue_category
//! [`update_issue_category`]: crate::Client::update_issue_category
//! [`delete_issue_category`]: crate::Client::delete_issue_category
//! [`get_attachment`]: crate::Client::get_attachment
//! [`download_attachment`]: crate::Client::download_attachment
//! [`update_attachment`]: crate::Client::update_attachment
//! [`delete_attachment`]: crate::Client::delete_attachment
//! [`upload`]: crate::Client::upload
//! [`list_projects`]: crate::Client::list_projects
//! [`stream_projects`]: crate::Client::stream_projects
//! [`get_project`]: crate::Client::get_project
//! [`create_project`]: crate::Client::create_project
//! [`update_project`]: crate::Client::update_project
//! [`delete_project`]: crate::Client::delete_project
//! [`archive_project`]: crate::Client::archive_project
//! [`unarchive_project`]: crate::Client::unarchive_project
//! [`close_project`]: crate::Client::close_project
//! [`reopen_project`]: crate::Client::reopen_project
//! [`ProjectFilter::status`]: crate::projects::ProjectFilter::status
//! [`list_memberships`]: crate::Client::list_memberships
//! [`stream_memberships`]: crate::Client::stream_memberships
//! [`create_membership`]: crate::Client::create_membership
//! [`get_membership`]: crate::Client::get_membership
//! [`update_membership`]: crate::Client::update_membership
//! [`delete_membership`]: crate::Client::delete_membership
//! [`list_versions`]: crate::Client::list_versions
//! [`create_version`]: crate::Client::create_version
//! [`get_version`]: crate::Client::get_version
//! [`update_version`]: crate::Client::update_version
//! [`delete_version`]: crate::Client::delete_version
//! [`list_files`]: crate::Client::list_files
//! [`add_file`]: crate::Client::add_file
//! [`list_time_entries`]: crate::Client::list_time_entries
//! [`stream_time_entries`]: crate::Client::stream_time_entries
//! [`get_time_entry`]: crate::Client::get_time_entry
//! [`create_time_entry`]: crate::Client::create_time_entry
//! [`update_time_entry`]: crate::Client::update_time_entry
//! [`delete_time_entry`]: crate::Client::delete_time_entry
//! [`list_news`]: crate::Client::list_news
//! [`list_project_news`]: crate::Client::list_project_news
//! [`get_news`]: crate::Client::get_news
//! [`create_news`]: crate::Client::create_news
//! [`update_news`]: crate::Client::update_news
//! [`delete_news`]: crate::Client::delete_news
//! [`list_wiki_pages`]: crate::Client::list_wiki_pages
//! [`get_wiki_page`]: crate::Client::get_wiki_page
//! [`get_wiki_page_version`]: crate::Client::get_wiki_page_version
//! [`save_wiki_page`]: crate::Client::save_wiki_page
//! [`delete_wiki_page`]: crate::Client::delete_wiki_page
//! [`list_users`]: crate::Client::list_users
//! [`stream_users`]: crate::Client::stream_users
//! [`get_user`]: crate::Client::get_user
//! [`current_user`]: crate::Client::current_user
//! [`create_user`]: crate::Client::create_user
//! [`update_user`]: crate::Client::update_user
//! [`delete_user`]: crate::Client::delete_user
//! [`my_account`]: crate::Client::my_account
//! [`list_groups`]: crate::Client::list_groups
//! [`list_all_groups`]: crate::Client::list_all_groups
//! [`get_group`]: crate::Client::get_group
//! [`create_group`]: crate::Client::create_group
//! [`update_group`]: crate::Client::update_group
//! [`delete_group`]: crate::Client::delete_group
//! [`add_group_user`]: crate::Client::add_group_user
//! [`remove_group_user`]: crate::Client::remove_group_user
//! [`list_roles`]: crate::Client::list_roles
//! [`get_role`]: crate::Client::get_role
//! [`list_queries`]: crate::Client::list_queries
//! [`stream_queries`]: crate::Client::stream_queries
//! [`list_custom_fields`]: crate::Client::list_custom_fields
//! [`list_trackers`]: crate::Client::list_trackers
//! [`list_issue_statuses`]: crate::Client::list_issue_statuses
//! [`list_issue_priorities`]: crate::Client::list_issue_priorities
//! [`list_time_entry_activities`]: crate::Client::list_time_entry_activities
//! [`list_document_categories`]: crate::Client::list_document_categories
//! [`search`]: crate::Client::search
//! [`search_project`]: crate::Client::search_project
//! [`UserFilter::any_status`]: crate::users::UserFilter::any_status
//! [`UserFilter::extra`]: crate::users::UserFilter::extra
//! [`IssueFilter`]: crate::issues::IssueFilter
//! [`TextFilter`]: crate::filters::TextFilter
