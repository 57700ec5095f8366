DROP TRIGGER case_list_counts_changed ON case_list_entries;
DROP TRIGGER case_list_counts_removed ON case_list_entries;
DROP TRIGGER case_list_counts_added ON case_list_entries;
DROP FUNCTION case_list_counts_apply();
DROP TABLE case_list_counts;
