DROP INDEX case_list_entries_counted;
DROP INDEX case_list_entries_state;
DROP INDEX case_list_entries_created;
DROP INDEX case_list_entries_follow_up;
DROP INDEX case_list_entries_discharge;
DROP INDEX case_list_entries_due;
