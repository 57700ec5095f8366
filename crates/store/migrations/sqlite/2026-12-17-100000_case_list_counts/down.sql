DROP TRIGGER case_list_counts_changed;
DROP TRIGGER case_list_counts_removed;
DROP TRIGGER case_list_counts_added;
DROP TABLE case_list_counts;
