DROP TABLE expenditure_staging;
