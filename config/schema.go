package config

// The YAML contract. Field tags are the keys users write; the walker in
// yaml.go derives the allowed keys and their shapes from these types, and
// viper decodes into them. Every scalar is kept as the text the user wrote
// (no YAML 1.1 guessing of numbers, booleans or timestamps); validate.go
// gives each its type.

type rawConfig struct {
	Station rawStation `mapstructure:"station"`
	Shows   []rawShow  `mapstructure:"shows"`
}

type rawStation struct {
	Name         string   `mapstructure:"name"`
	Timezone     string   `mapstructure:"timezone"`
	BaseURL      string   `mapstructure:"base_url"`
	Language     string   `mapstructure:"language"`
	StreamURL    string   `mapstructure:"stream_url"`
	Image        string   `mapstructure:"image"`
	Owner        rawOwner `mapstructure:"owner"`
	ScheduleDays string   `mapstructure:"schedule_days"`
	Skip         []string `mapstructure:"skip"`
}

type rawOwner struct {
	Name  string `mapstructure:"name"`
	Email string `mapstructure:"email"`
}

type rawPerson struct {
	Name string `mapstructure:"name"`
	Role string `mapstructure:"role"`
	Img  string `mapstructure:"img"`
	Href string `mapstructure:"href"`
}

type rawRecordings struct {
	Dir     string `mapstructure:"dir"`
	Pattern string `mapstructure:"pattern"`
	URL     string `mapstructure:"url"`
}

type rawShow struct {
	ID           string         `mapstructure:"id"`
	Title        string         `mapstructure:"title"`
	Description  string         `mapstructure:"description"`
	Timezone     string         `mapstructure:"timezone"`
	AllowOverlap string         `mapstructure:"allow_overlap"`
	Skip         []string       `mapstructure:"skip"`
	Slots        []rawSlot      `mapstructure:"slots"`
	Exceptions   []rawException `mapstructure:"exceptions"`

	// The podcast.
	Recordings   rawRecordings `mapstructure:"recordings"`
	Author       string        `mapstructure:"author"`
	Language     string        `mapstructure:"language"`
	Copyright    string        `mapstructure:"copyright"`
	Image        string        `mapstructure:"image"`
	Category     string        `mapstructure:"category"`
	Explicit     string        `mapstructure:"explicit"`
	Link         string        `mapstructure:"link"`
	Owner        rawOwner      `mapstructure:"owner"`
	Locked       string        `mapstructure:"locked"`
	GUID         string        `mapstructure:"guid"`
	Hosts        []rawPerson   `mapstructure:"hosts"`
	StreamURL    string        `mapstructure:"stream_url"`
	EpisodeTitle string        `mapstructure:"episode_title"`
	Numbering    string        `mapstructure:"numbering"`
}

type rawSlot struct {
	Kind     string   `mapstructure:"kind"`
	Cron     string   `mapstructure:"cron"`
	Weekly   []string `mapstructure:"weekly"`
	Every    string   `mapstructure:"every"`
	Anchor   string   `mapstructure:"anchor"`
	Monthly  []string `mapstructure:"monthly"`
	Once     string   `mapstructure:"once"`
	At       string   `mapstructure:"at"`
	Duration string   `mapstructure:"duration"`
	Title    string   `mapstructure:"title"`
	From     string   `mapstructure:"from"`
	Until    string   `mapstructure:"until"`
}

type rawException struct {
	Airing   string `mapstructure:"airing"`
	Cancel   string `mapstructure:"cancel"`
	MoveTo   string `mapstructure:"move_to"`
	Replay   string `mapstructure:"replay"`
	Duration string `mapstructure:"duration"`
	Title    string `mapstructure:"title"`
}

// envKeys are the keys an environment variable ONAIR_<KEY> overrides, such
// as ONAIR_STATION_BASE_URL.
var envKeys = []string{"station.name", "station.timezone", "station.base_url", "station.stream_url"}
