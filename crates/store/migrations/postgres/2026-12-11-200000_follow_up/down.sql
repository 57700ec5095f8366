DROP TABLE sample_check_items;
DROP TABLE sample_checks;
DROP TABLE survey_responses;
DROP TABLE survey_pairs;
DROP TABLE follow_up_methods;
DROP TABLE follow_up_years;
