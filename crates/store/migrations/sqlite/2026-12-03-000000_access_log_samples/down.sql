DROP TABLE access_log_sample_items;
DROP TABLE access_log_samples;
