# Seeds a fresh Redmine with the data the end-to-end tests rely on, then
# prints one JSON document describing it on the last line of stdout.
#
# Run once per database by `cargo xtask redmine up`, through `rails runner`,
# so that everything needing Rails boots it once. The keys printed here are
# the contract read by `tests/src/harness.rs`; keep both in step.

require "json"

PASSWORDS = {
  "admin" => "harness-admin-pw",
  "dev" => "harness-dev-pw",
  "reporter" => "harness-reporter-pw",
  "outsider" => "harness-outsider-pw",
}.freeze

def out
  @out ||= { "users" => [], "projects" => {}, "ids" => {} }
end

def record_user(user, role)
  out["users"] << {
    "role" => role,
    "id" => user.id,
    "login" => user.login,
    "password" => PASSWORDS.fetch(user.login),
    "api_key" => user.api_key,
    "admin" => user.admin?,
    "name" => user.name,
  }
end

def make_user(login, first, last)
  user = User.new(firstname: first, lastname: last, mail: "#{login}@example.test")
  user.login = login
  user.password = user.password_confirmation = PASSWORDS.fetch(login)
  user.status = User::STATUS_ACTIVE
  user.language = "en"
  user.must_change_passwd = false
  user.save!
  user
end

def make_project(key, name, identifier, public:, parent: nil)
  project = Project.new(name: name, identifier: identifier, is_public: public,
                        description: "#{name}, seeded for tests")
  project.parent = parent if parent
  project.inherit_members = true if parent
  project.enabled_module_names = %w[issue_tracking time_tracking news documents files wiki
                                    repository boards calendar gantt]
  project.trackers = Tracker.sorted.to_a
  project.save!
  out["projects"][key] = { "id" => project.id, "identifier" => identifier, "name" => name }
  project
end

def id!(key, record)
  out["ids"][key] = record.id
  record
end

# Debian's postinst loads the default data on some releases and not others.
Redmine::DefaultData::Loader.load("en") unless Tracker.exists?

ActiveRecord::Base.transaction do
  Setting.rest_api_enabled = "1"
  Setting.default_language = "en"
  Setting.login_required = "0"

  admin = User.find_by!(login: "admin")
  admin.password = admin.password_confirmation = PASSWORDS.fetch("admin")
  admin.must_change_passwd = false
  admin.language = "en"
  admin.save!

  # Side effects (relation journals, attachments) are attributed to the admin.
  User.current = admin

  dev = make_user("dev", "Dana", "Developer")
  reporter = make_user("reporter", "Remy", "Reporter")
  outsider = make_user("outsider", "Olive", "Outsider")
  record_user(admin, "admin")
  record_user(dev, "developer")
  record_user(reporter, "reporter")
  record_user(outsider, "outsider")

  manager_role = Role.find_by!(builtin: 0, name: "Manager")
  developer_role = Role.find_by!(builtin: 0, name: "Developer")
  reporter_role = Role.find_by!(builtin: 0, name: "Reporter")
  %w[manager developer reporter].zip([manager_role, developer_role, reporter_role]).each do |k, r|
    id!("role_#{k}", r)
  end

  bug = Tracker.find_by!(name: "Bug")
  feature = Tracker.find_by!(name: "Feature")
  support = Tracker.find_by!(name: "Support")
  id!("tracker_bug", bug)
  id!("tracker_feature", feature)
  id!("tracker_support", support)

  status_new = IssueStatus.find_by!(name: "New")
  status_in_progress = IssueStatus.find_by!(name: "In Progress")
  status_closed = IssueStatus.find_by!(name: "Closed")
  id!("status_new", status_new)
  id!("status_in_progress", status_in_progress)
  id!("status_closed", status_closed)

  normal = IssuePriority.find_by!(name: "Normal")
  high = IssuePriority.find_by!(name: "High")
  id!("priority_normal", normal)
  id!("priority_high", high)
  development = TimeEntryActivity.find_by!(name: "Development")
  design = TimeEntryActivity.find_by!(name: "Design")
  id!("activity_development", development)
  id!("activity_design", design)

  severity = IssueCustomField.create!(
    name: "Severity", field_format: "list", possible_values: %w[Low Medium High],
    is_for_all: true, is_filter: true, searchable: true, visible: true,
    tracker_ids: Tracker.pluck(:id), default_value: "",
  )
  id!("custom_field_severity", severity)

  project_a = make_project("a", "Project A", "project-a", public: true)
  project_a_sub = make_project("a_sub", "Project A Subproject", "project-a-sub", public: true,
                               parent: project_a)
  project_b = make_project("b", "Project B", "project-b", public: true)
  project_c = make_project("c", "Project C", "project-c", public: false)

  Member.create!(project: project_a, principal: dev, role_ids: [developer_role.id])
  Member.create!(project: project_b, principal: reporter, role_ids: [reporter_role.id])
  id!("membership_dev_a", Member.find_by!(project: project_a, user_id: dev.id))
  id!("membership_reporter_b", Member.find_by!(project: project_b, user_id: reporter.id))

  team = Group.new(lastname: "Harness Team")
  team.users = [dev, reporter]
  team.save!
  id!("group_team", team)
  Member.create!(project: project_b, principal: team, role_ids: [reporter_role.id])

  v1 = id!("version_a_1", Version.create!(project: project_a, name: "1.0", status: "open",
                                          sharing: "none", effective_date: Date.new(2026, 6, 30)))
  id!("version_a_2", Version.create!(project: project_a, name: "2.0", status: "open",
                                     sharing: "none"))
  id!("version_b_1", Version.create!(project: project_b, name: "B-1.0", status: "open",
                                     sharing: "none"))
  backend = id!("category_a_backend", IssueCategory.create!(project: project_a, name: "Backend",
                                                             assigned_to: dev))
  id!("category_a_frontend", IssueCategory.create!(project: project_a, name: "Frontend"))

  new_issue = lambda do |project, attrs|
    issue = Issue.new(project: project, tracker: attrs.delete(:tracker) || bug,
                      author: attrs.delete(:author) || admin, status: status_new, priority: normal)
    attrs.each { |k, v| issue.send("#{k}=", v) }
    issue.save!
    issue
  end

  parent = new_issue.call(project_a, subject: "Checkout page times out under load",
                          description: "Seeded parent issue with journals and an attachment.",
                          assigned_to: dev, fixed_version: v1, category: backend,
                          custom_field_values: { severity.id.to_s => "High" })
  id!("issue_parent", parent)
  child = new_issue.call(project_a, subject: "Profile the checkout query", parent_issue_id: parent.id,
                         tracker: feature, assigned_to: dev, author: dev)
  id!("issue_child", child)
  related = new_issue.call(project_a, subject: "Add an index on orders.created_at",
                           priority: high, start_date: Date.new(2026, 1, 5),
                           due_date: Date.new(2026, 2, 1),
                           custom_field_values: { severity.id.to_s => "Low" })
  id!("issue_related", related)
  closed = new_issue.call(project_a, subject: "Typo on the login page", tracker: support)
  closed.reload
  closed.init_journal(admin, "Fixed in the template.")
  closed.status = status_closed
  closed.save!
  id!("issue_closed", closed)
  id!("issue_a_sub", new_issue.call(project_a_sub, subject: "Subproject issue about exports"))
  id!("issue_b", new_issue.call(project_b, subject: "Reporter bug in project B", author: reporter))
  id!("issue_c", new_issue.call(project_c, subject: "Confidential issue in project C"))

  parent.reload
  parent.init_journal(admin, "First note: reproduced on staging.")
  parent.status = status_in_progress
  parent.save!
  Journal.create!(journalized: parent, user: dev,
                  notes: "Second note: the slow query is the order lookup.")
  relation = IssueRelation.create!(issue_from: parent, issue_to: related,
                                   relation_type: IssueRelation::TYPE_RELATES)
  id!("relation_parent_related", relation)
  journals = Journal.where(journalized: parent).where.not(notes: "").order(:id).to_a
  id!("journal_parent_first", journals.first)
  id!("journal_parent_second", journals.last)
  Watcher.create!(watchable: parent, user: dev)
  Watcher.create!(watchable: parent, user: reporter)

  attachment = Attachment.new(container: parent, author: admin, filename: "trace.txt",
                              content_type: "text/plain", description: "Slow request trace")
  attachment.file = "GET /checkout 30012 ms\nSELECT * FROM orders WHERE ...\n"
  attachment.save!
  id!("attachment_parent_trace", attachment)

  file = Attachment.new(container: v1, author: admin, filename: "release-notes.txt",
                        content_type: "text/plain", description: "Release notes")
  file.file = "Release 1.0 notes\n"
  file.save!
  id!("attachment_project_file", file)

  id!("time_entry_dev_a", TimeEntry.create!(project: project_a, issue: parent, user: dev, author: dev,
                                            hours: 2.5, activity: development,
                                            spent_on: Date.new(2026, 1, 10), comments: "Profiling"))
  id!("time_entry_admin_a", TimeEntry.create!(project: project_a, user: admin, author: admin,
                                              hours: 1.0, activity: design,
                                              spent_on: Date.new(2026, 1, 12), comments: "Review"))
  id!("time_entry_admin_c", TimeEntry.create!(project: project_c, user: admin, author: admin,
                                              hours: 3.0, activity: development,
                                              spent_on: Date.new(2026, 1, 15), comments: "Secret"))

  wiki = project_a.wiki || Wiki.create!(project: project_a, start_page: "Wiki")
  page = WikiPage.new(wiki: wiki, title: "Wiki")
  page.content = WikiContent.new(page: page, text: "h1. Wiki\n\nFirst version.", author: admin)
  page.save!
  page.reload
  page.content.text = "h1. Wiki\n\nWelcome to Project A. See [[Runbook]]."
  page.content.author = admin
  page.content.comments = "Second version"
  page.content.save!
  runbook = WikiPage.new(wiki: wiki, title: "Runbook", parent: page)
  runbook.content = WikiContent.new(page: runbook, text: "h1. Runbook\n\nRestart the workers.",
                                    author: dev)
  runbook.save!
  out["ids"]["wiki_page_a_start"] = page.id
  out["wiki"] = { "project" => "project-a", "title" => "Wiki", "child_title" => "Runbook" }

  id!("news_a", News.create!(project: project_a, author: admin, title: "Release 1.0 is out",
                             summary: "Highlights", description: "Checkout is faster."))

  query = IssueQuery.new(name: "Open bugs", project: project_a, user: admin,
                         visibility: Query::VISIBILITY_PUBLIC)
  query.filters = { "status_id" => { operator: "o", values: [""] },
                    "tracker_id" => { operator: "=", values: [bug.id.to_s] } }
  query.save!
  id!("query_open_bugs", query)

  # Redmine 5.0 has no OAuth; its description has no `oauth` key.
  next unless defined?(Doorkeeper::Application)

  redirect_uri = ENV.fetch("HARNESS_OAUTH_REDIRECT_URI")
  scopes = Redmine::AccessControl.permissions.map { |p| p.name.to_s } + ["admin"]
  app = Doorkeeper::Application.create!(name: "Redmine MCP tests", redirect_uri: redirect_uri,
                                        scopes: scopes.join(" "), confidential: true)
  out["oauth"] = {
    "client_id" => app.uid,
    "client_secret" => app.plaintext_secret || app.secret,
    "redirect_uri" => redirect_uri,
    "scopes" => scopes,
  }
end

out["version"] = Redmine::VERSION.to_s
puts out.to_json
