import pandas as pd
import pytest

from helpers import data, paths


@pytest.fixture(scope="module")
def heart():
    return data.load_heart()


@pytest.fixture
def csv(tmp_path, heart):
    """Write a (possibly modified) copy of the table and return its path."""

    def write(frame=None):
        path = tmp_path / "heart.csv"
        (heart.frame if frame is None else frame).to_csv(path, index=False)
        return path

    return write


def test_load_heart_shape_codes_and_balance(heart):
    assert list(heart.X.columns) == list(data.FEATURES)
    assert heart.X.shape == (303, 13)
    assert heart.y.value_counts().to_dict() == {0: 164, 1: 139}
    assert heart.num.value_counts().sort_index().to_dict() == {0: 164, 1: 55, 2: 36, 3: 35, 4: 13}
    assert heart.X.isna().sum()[lambda s: s > 0].to_dict() == {"ca": 4, "thal": 2}
    assert set(heart.X["cp"]) == {1, 2, 3, 4} and set(heart.X["thal"].dropna()) == {3, 6, 7}
    assert set(heart.descriptions) == set(data.FEATURES)
    assert all(heart.X[c].dtype == "float64" for c in data.RANGES)
    assert all(heart.X[c].dtype in ("int64", "Int64") for c in data.CATEGORICAL)


def test_frame_puts_features_and_labels_side_by_side(heart):
    assert list(heart.frame.columns) == data.COLUMNS


def test_missing_file_names_the_path(tmp_path):
    with pytest.raises(data.DataError, match=r"nope\.csv: file not found"):
        data.load_heart(tmp_path / "nope.csv")


def test_wrong_hash_is_refused(csv, heart):
    frame = heart.frame.copy()
    frame.loc[0, "age"] = 64
    with pytest.raises(data.DataError, match="sha256 is .* expected"):
        data.load_heart(csv(frame))


def test_own_copy_passes_without_hash(csv):
    assert data.load_heart(csv(), expected_sha256=None).X.shape == (303, 13)


def test_missing_column_is_named(csv, heart):
    with pytest.raises(data.DataError, match=r"missing columns \['chol'\].*expected exactly"):
        data.load_heart(csv(heart.frame.drop(columns="chol")), expected_sha256=None)


def test_renamed_column_is_named(csv, heart):
    frame = heart.frame.rename(columns={"thalach": "thalch"})
    with pytest.raises(data.DataError,
                       match=r"missing columns \['thalach'\], unexpected columns \['thalch'\]"):
        data.load_heart(csv(frame), expected_sha256=None)


def test_out_of_range_code_is_named(csv, heart):
    frame = heart.frame.copy()
    frame.loc[5, "cp"] = 0  # Kaggle's coding starts at 0
    with pytest.raises(data.DataError, match=r"'cp' has codes \[0\] outside the UCI codes \[1, 2, 3, 4\]"):
        data.load_heart(csv(frame), expected_sha256=None)


def test_implausible_value_is_named(csv, heart):
    frame = heart.frame.copy()
    frame.loc[3, "chol"] = 5000
    with pytest.raises(data.DataError, match=r"'chol' has 5000.0 at row 3, outside the plausible range"):
        data.load_heart(csv(frame), expected_sha256=None)


def test_text_in_numeric_column_is_named(csv, heart):
    frame = heart.frame.astype({"age": object})
    frame.loc[2, "age"] = "sixty"
    with pytest.raises(data.DataError, match=r"'age' must be numeric, found 'sixty'"):
        data.load_heart(csv(frame), expected_sha256=None)


def test_unexpected_missing_value_is_named(csv, heart):
    frame = heart.frame.copy()
    frame["age"] = frame["age"].astype(float)
    frame.loc[1, "age"] = None
    with pytest.raises(data.DataError, match=r"'age' has 1 missing values; only \['ca', 'thal'\]"):
        data.load_heart(csv(frame), expected_sha256=None)


def test_flipped_label_is_refused(csv, heart):
    frame = heart.frame.copy()
    frame["target"] = 1 - frame["target"]
    with pytest.raises(data.DataError, match="label flipped"):
        data.load_heart(csv(frame), expected_sha256=None)


def test_wrong_row_count_is_named(csv, heart):
    with pytest.raises(data.DataError, match="302 rows, expected the 303"):
        data.load_heart(csv(heart.frame.iloc[:-1]), expected_sha256=None)


def test_not_a_csv(tmp_path):
    path = tmp_path / "heart.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    with pytest.raises(data.DataError, match="heart.csv"):
        data.load_heart(path, expected_sha256=None)


def test_fill_missing_uses_the_most_frequent_code_and_returns_a_copy(heart):
    filled = data.fill_missing(heart.X)
    assert filled.notna().all().all()
    assert heart.X.isna().sum().sum() == 6, "the input must not be modified"
    gaps = heart.X.isna()
    assert set(filled.loc[gaps["ca"], "ca"]) == {0}
    assert set(filled.loc[gaps["thal"], "thal"]) == {3}
    assert filled["ca"].dtype == "int64"


def test_label_direction_agrees_with_cardiology_and_catches_a_flip(heart):
    X = data.fill_missing(heart.X)
    assert data.label_direction(X, heart.y)["agrees"].all()
    assert not data.label_direction(X, 1 - heart.y)["agrees"].any()


def test_check_features_lists_valid_names():
    assert data.check_features("age") == ["age"]
    with pytest.raises(KeyError, match=r"unknown feature name\(s\) \['thalch'\]; valid names are \['age'"):
        data.check_features(["age", "thalch"])


def test_label_direction_names_missing_columns_as_missing(heart):
    with pytest.raises(KeyError, match=r"X is missing column\(s\) \['cholesterol'\]; it has \['age'"):
        data.label_direction(heart.X, heart.y, expected={"cholesterol": 1})
    with pytest.raises(KeyError, match=r"missing column\(s\) \['ca'\]"):
        data.label_direction(heart.X.drop(columns="ca"), heart.y)
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        data.label_direction(heart.X.to_numpy(), heart.y)


def test_windows_line_endings_are_named_with_the_fix(tmp_path):
    """A Git for Windows clone (core.autocrlf=true) turns the CSV's LF into CRLF."""
    crlf = (paths.DATA_DIR / data.HEART_FILE).read_bytes().replace(b"\n", b"\r\n")
    path = tmp_path / data.HEART_FILE
    path.write_bytes(crlf)
    with pytest.raises(data.DataError,
                       match=r"only difference is line endings.*CRLF.*core.autocrlf.*git checkout"):
        data.load_heart(path)
    assert data.load_heart(path, expected_sha256=None).X.shape == (303, 13), "the content itself is fine"


def test_validate_accepts_in_memory_frame(heart):
    out = data.validate_heart(pd.DataFrame(heart.frame))
    assert out["ca"].dtype == "Int64"


def test_kaggle_coding_flips_label_and_recodes(heart):
    kx, ky = data.to_kaggle_coding(heart.X, heart.y)
    assert (ky == 1 - heart.y).all()
    assert set(kx["cp"]) == {0, 1, 2, 3} and set(kx["thal"]) == {0, 1, 2, 3}
    assert set(kx["ca"]) == {0, 1, 2, 3, 4}
    # asymptomatic chest pain (UCI 4) becomes 0, missing ca becomes 4, missing thal becomes 0
    assert (kx.loc[heart.X["cp"] == 4, "cp"] == 0).all()
    assert (kx.loc[heart.X["ca"].isna(), "ca"] == 4).all()
    assert (kx.loc[heart.X["thal"].isna(), "thal"] == 0).all()
    assert kx.notna().all().all() and heart.X["ca"].isna().sum() == 4, "input untouched"
    # the label-direction check catches it
    assert not data.label_direction(data.fill_missing(heart.X), ky)["agrees"].any()
