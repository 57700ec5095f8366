DROP TABLE case_list_entries;
