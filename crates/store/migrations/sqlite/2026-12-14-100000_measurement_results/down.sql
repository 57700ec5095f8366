DROP TABLE measurement_result_municipalities;
DROP TABLE measurement_results;
